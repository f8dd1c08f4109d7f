#include "probes/udp/options.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <type_traits>

namespace edgeprobe {

namespace {

using json = nlohmann::json;

// The value of `key` when it has type T exactly (nlohmann would turn true into 1).
template <class T> std::optional<T> typed(const json& object, const char* key, const std::string& pointer,
                                          config_errors& errors) {
  if (!object.contains(key)) return std::nullopt;
  const json& value = object[key];
  bool right = false;
  if constexpr (std::is_same_v<T, bool>) right = value.is_boolean();
  else if constexpr (std::is_same_v<T, std::int64_t>) right = value.is_number_integer();
  else right = value.is_string();
  if (!right) {
    errors.add(pointer + "/" + key, std::is_same_v<T, bool> ? "expected true or false"
                                    : std::is_same_v<T, std::int64_t> ? "expected a whole number"
                                                             : "expected a string");
    return std::nullopt;
  }
  return value.get<T>();
}

} // namespace

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

std::shared_ptr<const udp_config> parse_udp_config(const json& check, config_errors& errors) {
  auto config = std::make_shared<udp_config>();
  if (check.contains("send"))
    if (auto bytes = parse_bytes(check["send"], "/send", errors)) config->payload = std::move(*bytes);
  if (auto port = typed<std::int64_t>(check, "source_port", "", errors)) {
    if (*port < 1 || *port > 65535) errors.add("/source_port", "must be a port number, 1 to 65535");
    else config->source_port = static_cast<std::uint16_t>(*port);
  }
  if (auto count = typed<std::int64_t>(check, "retransmissions", "", errors)) {
    if (*count < 0 || *count > 10) errors.add("/retransmissions", "must be 0 to 10");
    else config->retransmissions = static_cast<int>(*count);
  }
  if (auto responder = typed<bool>(check, "responder", "", errors)) config->responder = *responder;

  if (!check.contains("expect")) return config;
  const json& expect = check["expect"];
  if (!expect.is_object()) {
    errors.add("/expect", "expected an object");
    return config;
  }
  if (auto state = typed<std::string>(expect, "state", "/expect", errors)) {
    if (*state == "open") config->state = udp_state::open;
    else if (*state == "closed") config->state = udp_state::closed;
    else if (*state == "filtered") config->state = udp_state::filtered;
    else if (*state == "not_open") config->state = udp_state::not_open;
    else errors.add("/expect/state", "must be open, closed, filtered or not_open");
  }
  if (expect.contains("reply")) {
    config->reply = parse_pattern(expect["reply"], "/expect/reply", errors);
    if (config->state != udp_state::open)
      errors.add("/expect/reply", "a reply can only be expected with expect.state open");
  }
  if (auto strict = typed<bool>(expect, "no_translation", "/expect", errors)) config->no_translation = *strict;
  return config;
}

} // namespace edgeprobe
