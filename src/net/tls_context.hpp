// OpenSSL contexts for both ends: the probes' client (which offers old
// versions and weak ciphers on purpose, so a server that only speaks TLS 1.0 is
// reported as `tls.version_too_low` instead of an opaque handshake failure) and
// the responder's server.
#pragma once
#include "net/openssl_handles.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

// "1.0", "1.1", "1.2", "1.3" (also "TLSv1.2") → TLS1_2_VERSION, …
std::optional<int> parse_tls_version(std::string_view text);
std::string tls_version_text(int version); // TLS1_2_VERSION → "TLSv1.2"

struct tls_client_settings {
  int min_version = TLS1_VERSION;
  int max_version = TLS1_3_VERSION;
  std::string ciphers;                 // OpenSSL names, ':'-separated; TLS_* names are TLS 1.3 suites
  std::vector<std::string> alpn;       // "h2", "http/1.1"
  std::string client_cert_file;        // PEM: the certificate, then any intermediates
  std::string client_key_file;         // PEM
};

// Verification is off in the context: the probe verifies the chain itself after
// the handshake (net/chain_check.hpp), so that the handshake completes and every
// certificate can be reported whatever is wrong with it.
ossl::ssl_ctx make_client_context(const tls_client_settings& settings, std::string& error);

struct tls_server_settings {
  std::string chain_pem;               // the certificate, then intermediates to send
  std::string key_pem;
  std::string client_ca_pem;           // non-empty: ask for a client certificate naming these CAs
  bool require_client_cert = false;    // fail the handshake when the client sends none
  int min_version = 0;                 // 0: OpenSSL's default
  int max_version = 0;
  std::vector<std::string> alpn;       // protocols the server accepts, in its preference
};

ossl::ssl_ctx make_server_context(const tls_server_settings& settings, std::string& error);

// The certificates of a PEM text, in order.
std::vector<ossl::x509> read_pem_certificates(std::string_view pem);

} // namespace edgeprobe
