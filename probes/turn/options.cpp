#include "probes/turn/options.hpp"

#include "core/check_values.hpp"

namespace edgeprobe {

const probe_options& turn_option_specs() {
  static const probe_options specs{
      .options =
          {
              stun_transport_spec(),
              {"dialect", option_kind::choice,
               "rfc (default: RFC 5766/8656 TURN) or ms-turn (the Lync/Skype for Business Edge's A/V relay: "
               "[MS-TURN], as the Edge's UDP 3478 and TCP 443 speak it).",
               {"rfc", "ms-turn"}},
              {"username", option_kind::string,
               "TURN long-term credential user. With a password the probe completes the allocation."},
              {"password", option_kind::string, "The user's password (a secret: never shown)."},
              {"realm", option_kind::string,
               "Realm for the credentials (default: the one the server's 401 challenge names)."},
              {"lifetime", option_kind::integer, "Allocation lifetime to ask for, in seconds (default: the server's).",
               {}, 0, 86400},
              {"release", option_kind::boolean,
               "After a successful allocation, release it with a Refresh of lifetime 0 (default true), so "
               "monitoring leaves nothing behind on the relay."},
              {"requested_family", option_kind::choice, "The relayed address family to ask for: ipv4 or ipv6.",
               {"ipv4", "ipv6"}},
              stun_sni_spec(),
          },
      .expect =
          {
              {"outcome", option_kind::choice,
               "reachable (default without credentials): any well-formed STUN answer, a 401 challenge included, "
               "proves the relay is there and the path open. allocated (default with credentials): a relayed "
               "address was granted.",
               {"reachable", "allocated"}},
          },
  };
  return specs;
}

// The loader has checked every key's type and range against the specs above;
// what is left here is how the keys combine.
std::shared_ptr<const turn_config> parse_turn_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<turn_config>();
  read_stun_channel_settings(check, *cfg, errors);
  const auto expect = expect_of(check);

  cfg->dialect = string_at(check, "dialect") == "ms-turn" ? stun::dialect::ms_turn : stun::dialect::rfc;
  cfg->username = string_at(check, "username");
  cfg->password = string_at(check, "password");
  cfg->realm = string_at(check, "realm");
  if (check.contains("lifetime")) cfg->lifetime = check["lifetime"].get<std::uint32_t>();
  cfg->release = bool_at(check, "release", true);
  if (check.contains("requested_family")) cfg->requested_family = string_at(check, "requested_family") == "ipv6" ? 2 : 1;
  if (!cfg->username.empty() && !check.contains("password"))
    errors.add("/username", "a username needs a password", "add \"password\" (e.g. \"${env:TURN_PASSWORD}\")");
  if (cfg->username.empty() && check.contains("password"))
    errors.add("/password", "a password needs a username", "add \"username\"");
  if (cfg->dialect == stun::dialect::ms_turn && cfg->has_credentials())
    errors.add("/dialect",
               "ms-turn allocations with credentials are not supported: the Edge's credentials come from the "
               "front end (MRAS), not from a user and password",
               "drop username/password: the unauthenticated Allocate proves the Edge's relay is reachable");
  if (cfg->dialect == stun::dialect::ms_turn && cfg->transport != stun_transport::udp)
    errors.add("/transport",
               "ms-turn is supported over udp only: over TCP 443 the Edge's relay expects MS-TURN's pseudo-TLS "
               "exchange first, which this probe does not speak yet",
               "use \"transport\": \"udp\" (port 3478), and a tcp check for the Edge's TCP 443");
  cfg->outcome = cfg->has_credentials() ? turn_outcome::allocated : turn_outcome::reachable;
  if (expect.contains("outcome")) {
    cfg->outcome = string_at(expect, "outcome") == "allocated" ? turn_outcome::allocated : turn_outcome::reachable;
    if (cfg->outcome == turn_outcome::allocated && !cfg->has_credentials())
      errors.add("/expect/outcome", "outcome \"allocated\" needs credentials",
                 "add \"username\" and \"password\", or expect \"reachable\"");
  }
  return cfg;
}

} // namespace edgeprobe
