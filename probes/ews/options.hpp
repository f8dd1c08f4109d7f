// The ews probe's options and expectations: their spec and the typed
// configuration. The connection options (TLS, source address) are the http
// probe's.
#pragma once
#include "core/probe.hpp"
#include "probes/ews/ews_soap.hpp"
#include "probes/http/options.hpp"

#include <optional>
#include <string>

namespace edgeprobe {

enum class autodiscover_mode { pox, soap, both, off };
enum class ews_outcome { reachable, authenticated };

struct ews_config final : probe_config {
  tls_config tls;
  std::string email;                                // "": no Autodiscover, the target is the EWS URL
  autodiscover_mode autodiscover = autodiscover_mode::pox;
  std::optional<ews::operation> operation = ews::operation::get_folder; // nullopt: none
  http_auth auth = http_auth::ntlm;                 // with credentials
  std::string username, password;
  ews_outcome outcome = ews_outcome::reachable;     // default: authenticated with credentials
  bool has_credentials() const { return !username.empty(); }
};

const probe_options& ews_option_specs();
std::shared_ptr<const ews_config> parse_ews_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
