// Test helper: a real coturn (turnserver) on 127.0.0.1 with a configuration the
// test writes (never /etc/turnserver.conf): long-term credentials in a realm,
// FINGERPRINT, relays on loopback only, optionally a TLS listener and a short
// nonce lifetime. Killed and cleaned up by the destructor.
#pragma once
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace edgeprobe::test {

struct coturn_options {
  std::string realm = "edgeprobe.test";
  std::string username = "alice";
  std::string password = "secret";
  int stale_nonce_seconds = 0;       // > 0: nonces expire that fast (to provoke 438)
  std::filesystem::path tls_cert;     // non-empty: also listen for TLS (with tls_key)
  std::filesystem::path tls_key;
};

class coturn_server {
public:
  explicit coturn_server(coturn_options options = {}); // REQUIREs that it starts within 5 s
  ~coturn_server();
  coturn_server(const coturn_server&) = delete;
  coturn_server& operator=(const coturn_server&) = delete;

  std::uint16_t port() const { return port_; }         // UDP and TCP
  std::uint16_t tls_port() const { return tls_port_; } // 0 without TLS
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  const coturn_options& options() const { return options_; }

  // Everything coturn logged so far.
  std::string log() const;
  // Whether coturn logs `text` within `limit` (it writes its log a moment later).
  bool logs(const std::string& text, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) const;

private:
  coturn_options options_;
  temp_dir dir_;
  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::unique_ptr<background_process> process_;
};

} // namespace edgeprobe::test
