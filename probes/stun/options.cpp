#include "probes/stun/options.hpp"

#include "net/tls_context.hpp"

namespace edgeprobe {

namespace {

const option_spec transport_spec{
    "transport", option_kind::choice,
    "udp (default; retransmitted on the RFC schedule: 500 ms, doubling), tcp, or tls (TURN over TLS, e.g. port "
    "5349 or the Edge's 443).",
    {"udp", "tcp", "tls"}};
const option_spec sni_spec{"sni", option_kind::string,
                           "tls: the server name to send (default: the target's host name; none for an address). "
                           "The certificate is reported, not judged: use the tls probe for that."};

} // namespace

const probe_options& stun_option_specs() {
  static const probe_options specs{.options = {transport_spec, sni_spec}, .expect = {}};
  return specs;
}

const probe_options& turn_option_specs() {
  static const probe_options specs{
      .options =
          {
              transport_spec,
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
              sni_spec,
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

std::string_view transport_name(stun_transport t) {
  switch (t) {
    case stun_transport::udp: return "udp";
    case stun_transport::tcp: return "tcp";
    case stun_transport::tls: return "tls";
  }
  return "udp";
}

std::shared_ptr<const stun_config> parse_stun_config(const nlohmann::json& check, bool turn, config_errors& errors) {
  auto cfg = std::make_shared<stun_config>();
  auto text = [&](const nlohmann::json& from, const char* key) -> std::string {
    return from.contains(key) && from[key].is_string() ? from[key].get<std::string>() : std::string{};
  };
  const auto expect = check.contains("expect") && check["expect"].is_object() ? check["expect"]
                                                                                : nlohmann::json::object();
  const auto transport = text(check, "transport");
  cfg->transport = transport == "tcp" ? stun_transport::tcp : transport == "tls" ? stun_transport::tls
                                                                                 : stun_transport::udp;
  if (check.contains("sni")) cfg->sni = text(check, "sni");
  if (cfg->transport == stun_transport::tls) {
    std::string error;
    tls_client_settings settings;
    if (auto ctx = make_client_context(settings, error)) cfg->tls_context = std::shared_ptr<SSL_CTX>(ctx.release(), SSL_CTX_free);
    else errors.add("/transport", error);
  }
  if (!turn) return cfg;

  cfg->dialect = text(check, "dialect") == "ms-turn" ? stun::dialect::ms_turn : stun::dialect::rfc;
  cfg->username = text(check, "username");
  cfg->password = text(check, "password");
  cfg->realm = text(check, "realm");
  if (check.contains("lifetime") && check["lifetime"].is_number_integer())
    cfg->lifetime = check["lifetime"].get<std::uint32_t>();
  if (check.contains("release") && check["release"].is_boolean()) cfg->release = check["release"].get<bool>();
  if (check.contains("requested_family")) cfg->requested_family = text(check, "requested_family") == "ipv6" ? 2 : 1;
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
    cfg->outcome = text(expect, "outcome") == "allocated" ? turn_outcome::allocated : turn_outcome::reachable;
    if (cfg->outcome == turn_outcome::allocated && !cfg->has_credentials())
      errors.add("/expect/outcome", "outcome \"allocated\" needs credentials",
                 "add \"username\" and \"password\", or expect \"reachable\"");
  }
  return cfg;
}

} // namespace edgeprobe
