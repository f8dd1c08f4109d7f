// The turn probe's options and expectations: the stun probe's channel settings
// (transport, sni), the dialect and the long-term credentials of an Allocate,
// their specs for the loader, `edgeprobe probes` and the schema, and the typed
// configuration built from a check.
#pragma once
#include "core/probe.hpp"
#include "probes/stun/codec.hpp"
#include "probes/stun/options.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace edgeprobe {

enum class turn_outcome { reachable, allocated };

struct turn_config final : probe_config, stun_channel_settings {
  stun::dialect dialect = stun::dialect::rfc;
  std::string username;
  std::string password;
  std::string realm;                      // "": the realm the server's challenge names
  std::optional<std::uint32_t> lifetime;  // seconds to ask for; unset: the server's default
  bool release = true;
  std::optional<int> requested_family;    // 1 IPv4, 2 IPv6 (REQUESTED-ADDRESS-FAMILY)
  turn_outcome outcome = turn_outcome::reachable;

  bool has_credentials() const { return !username.empty(); }
};

const probe_options& turn_option_specs();

std::shared_ptr<const turn_config> parse_turn_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
