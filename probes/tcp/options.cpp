#include "probes/tcp/options.hpp"

#include "core/check_values.hpp"
#include "core/port_set.hpp"

namespace edgeprobe {

const probe_options& tcp_option_specs() {
  static const probe_options specs{
      .options =
          {
              connect_option_spec("source_address"),
              {"source_port", option_kind::port_set,
               "Local port to connect from, or a list or range \"2280-2290\" (at most 1024 ports): a "
               "source-port sweep, one connection per port, reported per port; finds firewalls and IPsec "
               "policies that block some source ports."},
              {"send", option_kind::bytes,
               "Bytes to send once connected, as {\"text\": ...} or {\"hex\": ...}: exactly those bytes, "
               "nothing appended."},
              {"close", option_kind::choice,
               "How to close: fin (graceful, the default) or rst (abortive: no TIME_WAIT left on this "
               "host). With source_port the default is rst, so the same port can be used again at once.",
               {"fin", "rst"}},
              {"responder", option_kind::boolean,
               "The far side is an edgeprobe responder (`edgeprobe listen`): read its greeting and report "
               "the source address and port it saw, revealing NAT or a proxy on the path."},
              {"hold", option_kind::duration,
               "Keep the connection open this long after the exchange (default 0) and fail with tcp.reset "
               "if the peer or a device in between resets it."},
          },
      .expect =
          {
              connect_expect_spec("state"),
              connect_expect_spec("max_connect_ms"),
              connect_expect_spec("min_mss"),
              {"banner", option_kind::pattern,
               "What the peer must send (after `send`, and after the greeting with `responder`): a regex "
               "searched in the bytes received, or {\"hex\": ...} for an exact prefix."},
              {"no_translation", option_kind::boolean,
               "With `responder`: fail with path.address_translated when the responder saw another source "
               "address or port than this host used (by default that is reported, not failed)."},
          },
  };
  return specs;
}

// The loader has checked every key's type and range against the specs above;
// what is left here is what a spec cannot say.
std::shared_ptr<const tcp_config> parse_tcp_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<tcp_config>();
  read_connect_settings(check, *cfg);
  const auto expect = expect_of(check);

  if (check.contains("source_port")) {
    std::string error;
    if (auto ports = parse_port_set(check["source_port"], error)) {
      cfg->source_ports = std::move(*ports);
      cfg->source_port_chosen = true;
      cfg->sweep = !check["source_port"].is_number_integer() && cfg->source_ports.size() > 1;
    } else {
      errors.add("/source_port", error);
    }
  }
  if (check.contains("send")) {
    auto bytes = parse_bytes(check["send"], "/send", errors);
    if (bytes && bytes->empty()) errors.add("/send", "nothing to send; leave \"send\" out to only connect");
    else if (bytes) cfg->send = std::move(*bytes);
  }
  cfg->close = cfg->source_ports.empty() ? close_mode::fin : close_mode::rst;
  if (check.contains("close")) cfg->close = string_at(check, "close") == "rst" ? close_mode::rst : close_mode::fin;
  cfg->responder = bool_at(check, "responder", false);
  if (check.contains("hold")) cfg->hold = *parse_duration(check["hold"].get<std::string>());

  if (expect.contains("banner")) cfg->banner = parse_pattern(expect["banner"], "/expect/banner", errors);
  cfg->no_translation = bool_at(expect, "no_translation", false);

  if (cfg->no_translation && !cfg->responder)
    errors.add("/expect/no_translation", "only a responder can tell what source it saw; set \"responder\": true");
  if (cfg->state != expected_state::open) {
    for (const char* key : {"banner", "min_mss", "max_connect_ms", "no_translation"})
      if (expect.contains(key))
        errors.add(std::string("/expect/") + key,
                   std::string("expect.") + key + " needs a connection, but expect.state is \"" +
                       std::string(to_string(cfg->state)) + "\"");
  }
  return cfg;
}

} // namespace edgeprobe
