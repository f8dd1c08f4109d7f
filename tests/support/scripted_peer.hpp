// Test helper: a TCP server on 127.0.0.1 that plays a script — send its first
// reply on connect, then one reply per line received — for protocol stories no
// packaged server can be made to tell on demand (an SMTP server whose STARTTLS
// fails, one that offers none). Replies are bytes captured from real servers.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace edgeprobe::test {

class scripted_peer {
public:
  // replies[0] goes out on connect; replies[i] after the i-th line received.
  // Serves connections one at a time, each from the script's start.
  explicit scripted_peer(std::vector<std::string> replies);
  ~scripted_peer();
  scripted_peer(const scripted_peer&) = delete;
  scripted_peer& operator=(const scripted_peer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

private:
  void serve();

  std::vector<std::string> replies_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace edgeprobe::test
