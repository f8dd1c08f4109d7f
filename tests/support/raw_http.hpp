// HTTP/1.1 over a plain socket from a chosen loopback address (the whole of
// 127/8 is loopback), for tests that play several clients at once against
// serve and time each answer: one request per connection, every wait bounded.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace edgeprobe::test {

struct raw_reply {
  int status = 0; // 0: no complete status line before the deadline (refused, reset, timed out)
  std::string head; // status line and headers
  std::chrono::milliseconds took{0};
};

// A TCP connection from `from` (any port) to 127.0.0.1:`port` within `limit`;
// -1 when it is refused or takes longer. Blocking once connected.
int connect_from(const std::string& from, std::uint16_t port,
                 std::chrono::milliseconds limit = std::chrono::milliseconds(1000));

// Sends `request` as it is and reads the answer's head within `limit` in all.
raw_reply raw_exchange(const std::string& from, std::uint16_t port, const std::string& request,
                       std::chrono::milliseconds limit);

// GET `path` with Connection: close, and Authorization when it is not empty.
raw_reply raw_get(const std::string& from, std::uint16_t port, const std::string& path,
                  const std::string& authorization = "",
                  std::chrono::milliseconds limit = std::chrono::milliseconds(2000));

} // namespace edgeprobe::test
