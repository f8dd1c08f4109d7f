// Test helpers: real TLS servers on 127.0.0.1 (a free port) for the tls probe's
// tests — `openssl s_server` (any protocol version OpenSSL can still speak, and
// client CA lists taken verbatim from a file) and nginx (what production edges
// run). Both are killed and cleaned up by their destructors.
#pragma once
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace edgeprobe::test {

struct tls_server_options {
  tls_server_options(leaf_files served = {}) : leaf(std::move(served)) {} // NOLINT: implicit on purpose
  leaf_files leaf;
  bool send_chain = true;                 // false: the leaf alone (a missing intermediate)
  std::filesystem::path client_ca_names;  // non-empty: ask for a client certificate, naming these CAs
  std::vector<std::string> extra_args;    // s_server only, e.g. {"-tls1", "-cipher", "DEFAULT@SECLEVEL=0"}
  std::string nginx_server_block;         // nginx only: directives added to its server {} (locations, ...)
};

// `openssl s_server -www` on 127.0.0.1; ready when constructed.
class openssl_server {
public:
  explicit openssl_server(const tls_server_options& options);
  std::uint16_t port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

private:
  std::uint16_t port_;
  std::unique_ptr<background_process> process_;
};

// nginx in the foreground (one process, prefix in a temp dir) on 127.0.0.1,
// answering "ok" over TLS — or, without a certificate, over plain HTTP.
class nginx_server {
public:
  explicit nginx_server(const tls_server_options& options);
  static nginx_server plain_http() { return nginx_server(tls_server_options{}); }
  std::uint16_t port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

private:
  temp_dir dir_;
  std::uint16_t port_;
  std::unique_ptr<background_process> process_;
};

// Waits (up to 5 s) until something accepts TCP connections on the loopback port.
void wait_for_listener(std::uint16_t port);

} // namespace edgeprobe::test
