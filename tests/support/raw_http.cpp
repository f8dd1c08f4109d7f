#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace edgeprobe::test {

namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd until `deadline`; false on timeout.
bool wait_for(int fd, short events, clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

int connect_until(const std::string& from, std::uint16_t port, clock::time_point deadline) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &source.sin_addr);
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_port = htons(port);
  target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int error = 0;
  socklen_t length = sizeof error;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0 ||
      (::connect(fd, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0 &&
       (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline) ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0))) {
    ::close(fd);
    return -1;
  }
  return fd;
}

} // namespace

int connect_from(const std::string& from, std::uint16_t port, std::chrono::milliseconds limit) {
  const int fd = connect_until(from, port, clock::now() + limit);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

raw_reply raw_exchange(const std::string& from, std::uint16_t port, const std::string& request,
                       std::chrono::milliseconds limit) {
  const auto started = clock::now();
  const auto deadline = started + limit;
  raw_reply reply;
  const int fd = connect_until(from, port, deadline);
  if (fd < 0) {
    reply.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
    return reply;
  }
  std::size_t sent = 0;
  while (sent < request.size() && wait_for(fd, POLLOUT, deadline)) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  while (sent == request.size() && received.find("\r\n\r\n") == std::string::npos && wait_for(fd, POLLIN, deadline)) {
    char buffer[4096];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  reply.took = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
  const auto end = received.find("\r\n\r\n");
  if (end == std::string::npos || !received.starts_with("HTTP/1.")) return reply;
  reply.head = received.substr(0, end + 2);
  if (received.size() > 12) reply.status = std::atoi(received.c_str() + 9); // "HTTP/1.1 200"
  return reply;
}

raw_reply raw_get(const std::string& from, std::uint16_t port, const std::string& path,
                  const std::string& authorization, std::chrono::milliseconds limit) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
  return raw_exchange(from, port, request + "\r\n", limit);
}

} // namespace edgeprobe::test
