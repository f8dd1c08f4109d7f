/* The kernel floor for a TCP check: non-blocking connect, wait for the
 * handshake with epoll, read SO_ERROR, close. Nothing else: no parsing, no
 * report. `epoll_floor ADDR PORT CHECKS CONCURRENCY [evidence]` prints
 * "ok=N failed=M". With `evidence` it also makes the system calls edgeprobe's
 * tcp check makes to explain its result: IP_RECVERR before the connect (ICMP
 * errors), TCP_INFO and getsockname after it, and the drain before a graceful
 * close: the kernel's floor for the same evidence. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in target;
static long started, ok, failed;
static int evidence;

static int start_one(int ep) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  ++started;
  if (evidence) {
    int on = 1;
    setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof on);
  }
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
  if (argc != 5 && !(argc == 6 && !strcmp(argv[5], "evidence"))) {
    fprintf(stderr, "usage: %s ADDR PORT CHECKS CONCURRENCY [evidence]\n", argv[0]);
    return 2;
  }
  evidence = argc == 6;
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
      if (evidence) {
        struct tcp_info info;
        socklen_t info_len = sizeof info;
        getsockopt(fd, SOL_TCP, TCP_INFO, &info, &info_len);
        struct sockaddr_in local;
        socklen_t local_len = sizeof local;
        getsockname(fd, (struct sockaddr*)&local, &local_len);
        char sink[4096];
        if (err == 0) recv(fd, sink, sizeof sink, MSG_DONTWAIT);
      }
      close(fd); /* closing removes it from the epoll set */
      --in_flight;
    }
  }
  printf("ok=%ld failed=%ld\n", ok, failed);
  return failed ? 1 : 0;
}
