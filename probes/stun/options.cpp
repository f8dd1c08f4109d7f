#include "probes/stun/options.hpp"

#include "core/check_values.hpp"
#include "net/tls_context.hpp"

namespace edgeprobe {

std::string_view transport_name(stun_transport t) {
  switch (t) {
    case stun_transport::udp: return "udp";
    case stun_transport::tcp: return "tcp";
    case stun_transport::tls: return "tls";
  }
  return "udp";
}

const option_spec& stun_transport_spec() {
  static const option_spec spec{
      "transport", option_kind::choice,
      "udp (default; retransmitted on the RFC schedule: 500 ms, doubling), tcp, or tls (TURN over TLS, e.g. port "
      "5349 or the Edge's 443).",
      {"udp", "tcp", "tls"}};
  return spec;
}

const option_spec& stun_sni_spec() {
  static const option_spec spec{"sni", option_kind::string,
                                "tls: the server name to send (default: the target's host name; none for an "
                                "address). The certificate is reported, not judged: use the tls probe for that."};
  return spec;
}

void read_stun_channel_settings(const nlohmann::json& check, stun_channel_settings& into, config_errors& errors) {
  const auto transport = string_at(check, "transport");
  into.transport = transport == "tcp" ? stun_transport::tcp : transport == "tls" ? stun_transport::tls
                                                                                 : stun_transport::udp;
  into.sni = optional_string_at(check, "sni");
  if (into.transport == stun_transport::tls) {
    std::string error;
    tls_client_settings settings;
    if (auto ctx = make_client_context(settings, error)) into.tls_context = std::shared_ptr<SSL_CTX>(ctx.release(), SSL_CTX_free);
    else errors.add("/transport", error);
  }
}

const probe_options& stun_option_specs() {
  static const probe_options specs{.options = {stun_transport_spec(), stun_sni_spec()}, .expect = {}};
  return specs;
}

std::shared_ptr<const stun_config> parse_stun_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<stun_config>();
  read_stun_channel_settings(check, *cfg, errors);
  return cfg;
}

} // namespace edgeprobe
