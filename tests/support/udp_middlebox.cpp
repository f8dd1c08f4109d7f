#include "support/udp_middlebox.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace edgeprobe::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

int bound_udp_socket() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto a = loopback(0);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

// The STUN transaction (bytes 4..19) of a datagram, "" when too short.
std::string transaction_of(const std::vector<char>& d) {
  return d.size() >= 20 ? std::string(d.begin() + 4, d.begin() + 20) : std::string{};
}

} // namespace

udp_middlebox::udp_middlebox(std::uint16_t server_port, middlebox_behaviour behaviour)
    : server_port_(server_port), behaviour_(behaviour) {
  client_side_ = bound_udp_socket();
  server_side_ = bound_udp_socket();
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(client_side_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { relay(); });
}

udp_middlebox::~udp_middlebox() {
  stopping_ = true;
  thread_.join();
  ::close(client_side_);
  ::close(server_side_);
}

void udp_middlebox::relay() {
  sockaddr_in client{};
  const auto server = loopback(server_port_);
  int from_client = 0;
  std::string dropping; // the held datagram's transaction: its retransmissions are dropped
  std::vector<char> buffer(65536);
  while (!stopping_) {
    pollfd fds[2] = {{client_side_, POLLIN, 0}, {server_side_, POLLIN, 0}};
    if (::poll(fds, 2, 50) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      socklen_t len = sizeof client;
      const auto n = ::recvfrom(client_side_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&client), &len);
      if (n > 0) {
        std::vector<char> datagram(buffer.begin(), buffer.begin() + n);
        const auto transaction = transaction_of(datagram);
        if (!dropping.empty() && transaction == dropping) continue; // a retransmission of the held one
        if (++from_client == behaviour_.held_datagram) {
          std::this_thread::sleep_for(behaviour_.hold);
          dropping = transaction;
        }
        ::sendto(server_side_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&server),
                 sizeof server);
      }
    }
    if (fds[1].revents & POLLIN) {
      const auto n = ::recv(server_side_, buffer.data(), buffer.size(), 0);
      if (n > 0 && behaviour_.flip_last_byte_of_answers) buffer[static_cast<std::size_t>(n) - 1] ^= 0x01;
      if (n > 0)
        ::sendto(client_side_, buffer.data(), static_cast<std::size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client),
                 sizeof client);
    }
  }
}

} // namespace edgeprobe::test
