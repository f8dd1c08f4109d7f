// The http probe's options and expectations: their spec (loader, `edgeprobe
// probes http`, schema) and the typed configuration. The TLS side is the tls
// probe's own configuration, built from the TLS options the two share.
#pragma once
#include "core/byte_pattern.hpp"
#include "core/probe.hpp"
#include "probes/http/url.hpp"
#include "probes/tls/options.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeprobe {

enum class http_auth { none, basic, ntlm };

struct http_header_expectation {
  std::string name;
  byte_pattern pattern;
};

struct http_config final : probe_config {
  tls_config tls;                 // for https: sni, ca_file, verify, versions, client certificate, source_address
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int follow_redirects = 5;
  http_auth auth = http_auth::none;
  std::string username;           // for ntlm, "DOMAIN\user" or "user@domain" are split
  std::string password;

  std::vector<unsigned> status_codes;   // expect.status: exact codes...
  std::vector<unsigned> status_classes; // ...and classes (2 for "2xx"); both empty: 2xx
  std::vector<http_header_expectation> header_expectations;
  std::optional<byte_pattern> body_pattern;
  std::optional<double> max_ms;

  bool status_expected(unsigned status) const;
  std::string expected_statuses() const; // "2xx", "200, 401"
};

// Options and expectations shared by probes built on http (ews adds its own).
const std::vector<option_spec>& http_connection_option_specs(); // the TLS ones and source_address
const probe_options& http_option_specs();

// `probe_name` for messages. Adds problems to `errors`.
std::shared_ptr<const http_config> parse_http_config(const nlohmann::json& check, config_errors& errors);
// The connection part alone (tls), for ews.
void parse_http_connection(const nlohmann::json& check, tls_config& tls, config_errors& errors);

} // namespace edgeprobe
