/* The kernel floor for a TCP check: non-blocking connect, wait for the
 * handshake with epoll, read SO_ERROR, close. Nothing else: no parsing, no
 * report. `epoll_floor ADDR PORT CHECKS CONCURRENCY` prints "ok=N failed=M". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in target;
static long started, ok, failed;

static int start_one(int ep) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  ++started;
  if (connect(fd, (struct sockaddr*)&target, sizeof target) == 0) {
    ++ok;
    close(fd);
    return 0;
  }
  if (errno != EINPROGRESS) {
    ++failed;
    close(fd);
    return 0;
  }
  struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
    close(fd);
    return -1;
  }
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s ADDR PORT CHECKS CONCURRENCY\n", argv[0]);
    return 2;
  }
  target.sin_family = AF_INET;
  target.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &target.sin_addr) != 1) return 2;
  const long checks = atol(argv[3]);
  const int concurrency = atoi(argv[4]);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return 1;
  long in_flight = 0;
  struct epoll_event events[256];
  while (ok + failed < checks) {
    while (in_flight < concurrency && started < checks) {
      int r = start_one(ep);
      if (r < 0) return 1;
      in_flight += r;
    }
    int n = epoll_wait(ep, events, 256, -1);
    if (n < 0 && errno != EINTR) return 1;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd, err = 0;
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) ++ok; else ++failed;
      close(fd); /* closing removes it from the epoll set */
      --in_flight;
    }
  }
  printf("ok=%ld failed=%ld\n", ok, failed);
  return failed ? 1 : 0;
}
