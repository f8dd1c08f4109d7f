#include "probes/udp/options.hpp"

#include "core/check_values.hpp"

namespace edgeprobe {

using json = nlohmann::json;

const probe_options& udp_option_spec() {
  static const probe_options spec{
      {
          {"send", option_kind::bytes,
           "The datagram to send, exactly these bytes: {\"text\": \"...\"} or {\"hex\": \"...\"}. Default: an empty "
           "datagram, enough to tell a closed port from an open or filtered one; most services answer only their own "
           "request, so give it to test `open`."},
          {"source_port", option_kind::integer,
           "Send from this local UDP port (default: an ephemeral one). Finds firewalls and IPsec policies that filter "
           "by source port.", {}, 1, 65535},
          {"retransmissions", option_kind::integer,
           "How many times to resend when no answer comes, spread over the deadline with doubling waits (default 2).",
           {}, 0, 10},
          {"responder", option_kind::boolean,
           "The far side must be an edgeprobe responder (`edgeprobe listen`): any other answer is udp.reply_mismatch. "
           "A responder's greeting is read either way: the source address and port it saw are compared with this "
           "host's, to reveal NAT on the path."},
      },
      {
          {"state", option_kind::choice,
           "open (default: an answer comes), closed (ICMP port unreachable), filtered (silence, or an ICMP error from a "
           "router or firewall), not_open (anything but an answer).",
           {"open", "closed", "filtered", "not_open"}},
          {"reply", option_kind::pattern,
           "The answer must match: a regular expression searched in it, or {\"hex\": \"...\"} for an exact byte prefix."},
          {"no_translation", option_kind::boolean,
           "Fail with path.address_translated when a responder saw another source address or port than this host "
           "used, or the answer came from another address than asked (default: the first is evidence, the second a "
           "warning)."},
      }};
  return spec;
}

// The loader has checked every key's type and range against the specs above;
// what is left here is the bytes and patterns, and how the keys combine.
std::shared_ptr<const udp_config> parse_udp_config(const json& check, config_errors& errors) {
  auto config = std::make_shared<udp_config>();
  if (check.contains("send"))
    if (auto bytes = parse_bytes(check["send"], "/send", errors)) config->payload = std::move(*bytes);
  if (check.contains("source_port")) config->source_port = check["source_port"].get<std::uint16_t>();
  if (check.contains("retransmissions")) config->retransmissions = check["retransmissions"].get<int>();
  config->responder = bool_at(check, "responder", false);

  const auto expect = expect_of(check);
  const auto state = string_at(expect, "state");
  config->state = state == "closed"     ? udp_state::closed
                  : state == "filtered" ? udp_state::filtered
                  : state == "not_open" ? udp_state::not_open
                                        : udp_state::open;
  if (expect.contains("reply")) {
    config->reply = parse_pattern(expect["reply"], "/expect/reply", errors);
    if (config->state != udp_state::open)
      errors.add("/expect/reply", "a reply can only be expected with expect.state open");
  }
  config->no_translation = bool_at(expect, "no_translation", false);
  return config;
}

} // namespace edgeprobe
