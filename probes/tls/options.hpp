// The tls probe's options and expectations: the declarative spec and the typed
// configuration, including the OpenSSL client context and trust store, built
// once when the suite is loaded (a bad cipher string or an unreadable ca_file is
// a suite error with its line, not a failure of every run).
#pragma once
#include "core/probe.hpp"
#include "net/connect_settings.hpp"
#include "net/openssl_handles.hpp"
#include "net/tls_context.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

enum class starttls_protocol { none, smtp };

// What Windows/Schannel clients tolerate in a server's list of acceptable client
// CAs (KB 933430): beyond about 16 KB they silently send no certificate.
constexpr std::size_t schannel_ca_list_limit = 16384;

struct tls_config final : probe_config {
  connect_settings transport;           // the connection: source_address, expect.max_connect_ms
  std::optional<std::string> sni;       // nullopt: the target host; "": send none
  tls_client_settings client;
  std::shared_ptr<SSL_CTX> context;     // built from `client`
  std::shared_ptr<X509_STORE> trust;    // ca_file, or the system's roots
  std::string ca_file;                  // "" : the system's roots
  bool verify = true;
  starttls_protocol starttls = starttls_protocol::none;

  bool verified = true;
  std::vector<std::string> san_includes;
  std::optional<std::string> subject_cn;
  std::optional<std::string> issuer_contains;
  std::optional<int> min_days_left;
  int warn_days_left = 21;
  int min_version = TLS1_2_VERSION;     // expect.min_version
  std::optional<bool> client_cert_requested;
  std::optional<std::size_t> max_client_ca_list_bytes;
};

const probe_options& tls_option_specs();

std::shared_ptr<const tls_config> parse_tls_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
