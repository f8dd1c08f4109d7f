// The options and expectations of the stun and turn probes (one configuration:
// turn is stun's Allocate with credentials), their specs for the loader, `edgeprobe
// probes` and the schema, and the typed configuration built from a check.
#pragma once
#include "core/probe.hpp"
#include "probes/stun/codec.hpp"

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace edgeprobe {

enum class stun_transport { udp, tcp, tls };
enum class turn_outcome { reachable, allocated };

struct stun_config final : probe_config {
  stun_transport transport = stun_transport::udp;
  stun::dialect dialect = stun::dialect::rfc;
  std::optional<std::string> sni;         // tls: nullopt sends the target host
  std::shared_ptr<SSL_CTX> tls_context;   // tls only
  // turn only
  std::string username;
  std::string password;
  std::string realm;                      // "": the realm the server's challenge names
  std::optional<std::uint32_t> lifetime;  // seconds to ask for; unset: the server's default
  bool release = true;
  std::optional<int> requested_family;    // 1 IPv4, 2 IPv6 (REQUESTED-ADDRESS-FAMILY)
  turn_outcome outcome = turn_outcome::reachable;

  bool has_credentials() const { return !username.empty(); }
};

const probe_options& stun_option_specs();
const probe_options& turn_option_specs();

std::shared_ptr<const stun_config> parse_stun_config(const nlohmann::json& check, bool turn, config_errors& errors);

std::string_view transport_name(stun_transport t);

} // namespace edgeprobe
