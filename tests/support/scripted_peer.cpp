#include "support/scripted_peer.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace edgeprobe::test {

scripted_peer::scripted_peer(std::vector<std::string> replies) : replies_(std::move(replies)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(listener_, 8) == 0);
  socklen_t len = sizeof a;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { serve(); });
}

scripted_peer::~scripted_peer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

void scripted_peer::serve() {
  // Polls in short steps so the destructor never waits long for the thread.
  auto wait_readable = [this](int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stopping_)
      if (::poll(&p, 1, 50) > 0) return true;
    return false;
  };
  while (wait_readable(listener_)) {
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    std::size_t next = 0;
    std::string received;
    bool open = true;
    while (open && next < replies_.size()) {
      if (next > 0) { // wait for a whole line before each later reply
        char buffer[4096];
        while (open && received.find('\n') == std::string::npos) {
          const auto n = wait_readable(fd) ? ::recv(fd, buffer, sizeof buffer, 0) : 0;
          if (n <= 0) open = false;
          else received.append(buffer, static_cast<std::size_t>(n));
        }
        if (!open) break;
        received.erase(0, received.find('\n') + 1);
      }
      const auto& reply = replies_[next++];
      open = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(reply.size());
    }
    // The script is done: linger until the client closes (or the peer stops).
    char sink[4096];
    while (open && wait_readable(fd) && ::recv(fd, sink, sizeof sink, 0) > 0) {
    }
    ::close(fd);
  }
}

} // namespace edgeprobe::test
