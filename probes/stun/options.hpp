// The stun probe's options: how to reach the server (transport, sni) — the
// channel settings the turn probe shares — and their specs for the loader,
// `edgeprobe probes` and the schema.
#pragma once
#include "core/probe.hpp"

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

enum class stun_transport { udp, tcp, tls };

std::string_view transport_name(stun_transport t);

// How a STUN or TURN check reaches its server.
struct stun_channel_settings {
  stun_transport transport = stun_transport::udp;
  std::optional<std::string> sni;       // tls: nullopt sends the target host
  std::shared_ptr<SSL_CTX> tls_context; // tls only
};

struct stun_config final : probe_config, stun_channel_settings {};

// The specs of the two channel keys, "transport" and "sni", and how they are
// read (the loader has checked their types).
const option_spec& stun_transport_spec();
const option_spec& stun_sni_spec();
void read_stun_channel_settings(const nlohmann::json& check, stun_channel_settings& into, config_errors& errors);

const probe_options& stun_option_specs();
std::shared_ptr<const stun_config> parse_stun_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
