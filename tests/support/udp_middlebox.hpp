// Test helper: a UDP relay on 127.0.0.1 between a client and a server, the
// middlebox of the field stories: it can hold the client's n-th datagram for a
// while (dropping its retransmissions meanwhile), or alter the server's answers
// on the way back. It lets a real server tell stories on demand: coturn's 438
// Stale Nonce when the authenticated Allocate arrives after the nonce's short
// lifetime; a FINGERPRINT that no longer verifies.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace edgeprobe::test {

struct middlebox_behaviour {
  int held_datagram = 0;                   // > 0: hold the client's n-th datagram (1-based) ...
  std::chrono::milliseconds hold{0};       // ... this long
  bool flip_last_byte_of_answers = false;  // alter every answer's last byte (a STUN FINGERPRINT's)
};

class udp_middlebox {
public:
  udp_middlebox(std::uint16_t server_port, middlebox_behaviour behaviour);
  ~udp_middlebox();
  udp_middlebox(const udp_middlebox&) = delete;
  udp_middlebox& operator=(const udp_middlebox&) = delete;

  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

private:
  void relay();

  int client_side_ = -1; // where clients send
  int server_side_ = -1; // the relay's socket toward the server
  std::uint16_t port_ = 0;
  std::uint16_t server_port_;
  middlebox_behaviour behaviour_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace edgeprobe::test
