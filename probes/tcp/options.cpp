#include "probes/tcp/options.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace edgeprobe {

namespace {

std::optional<std::uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

} // namespace

const probe_options& tcp_option_specs() {
  static const probe_options specs{
      .options =
          {
              {"source_address", option_kind::address,
               "Local IP address to connect from; it must be configured on this host."},
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
              {"state", option_kind::choice,
               "open (default): must connect; closed: must answer the SYN with RST; filtered: no answer or "
               "an ICMP error; not_open: closed or filtered (\"must be blocked from here\").",
               {"open", "closed", "filtered", "not_open"}},
              {"max_connect_ms", option_kind::integer,
               "Fail with tcp.slow_connect when the handshake takes longer than this many milliseconds: the "
               "kernel's SYN to SYN-ACK time (details.handshake_ms) when one SYN was enough, else the time "
               "until the connect completed (details.connect_ms), retransmissions included.",
               {}, 1, 600000},
              {"min_mss", option_kind::integer,
               "Fail with tcp.small_mss when the path MSS (the peer's MSS option, or less when the path MTU "
               "is smaller) is below this; a clean 1500-byte Ethernet path gives 1460.",
               {}, 1, 65535},
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

std::optional<std::vector<std::uint16_t>> parse_port_set(const nlohmann::json& value, std::string& error) {
  std::vector<std::uint16_t> ports;
  auto add_range = [&](std::string_view text) {
    const auto dash = text.find('-');
    const auto first = port_number(text.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : port_number(text.substr(dash + 1));
    if (!first || !last) {
      error = "\"" + std::string(text) + "\" is not a port (1-65535) or a range \"2280-2290\"";
      return false;
    }
    if (*last < *first) {
      error = "range \"" + std::string(text) + "\" is reversed; write \"" + std::to_string(*last) + "-" +
              std::to_string(*first) + "\"";
      return false;
    }
    if (static_cast<std::size_t>(*last - *first) + 1 > max_sweep_ports) {
      error = "range \"" + std::string(text) + "\" has " + std::to_string(*last - *first + 1) +
              " ports; a sweep takes at most " + std::to_string(max_sweep_ports);
      return false;
    }
    for (unsigned p = *first; p <= *last; ++p) ports.push_back(static_cast<std::uint16_t>(p));
    return true;
  };
  auto add_one = [&](const nlohmann::json& item) {
    if (item.is_number_integer()) {
      const auto n = item.get<std::int64_t>();
      if (n < 1 || n > 65535) {
        error = std::to_string(n) + " is not a port (1-65535)";
        return false;
      }
      ports.push_back(static_cast<std::uint16_t>(n));
      return true;
    }
    if (item.is_string()) return add_range(item.get_ref<const std::string&>());
    error = "expected a port number, a list of ports, or a range string \"2280-2290\"";
    return false;
  };

  if (value.is_array()) {
    if (value.empty()) {
      error = "the list of ports is empty";
      return std::nullopt;
    }
    for (const auto& item : value)
      if (!add_one(item)) return std::nullopt;
  } else if (!add_one(value)) {
    return std::nullopt;
  }
  std::set<std::uint16_t> seen;
  for (const auto p : ports) {
    if (!seen.insert(p).second) {
      error = "port " + std::to_string(p) + " is given twice";
      return std::nullopt;
    }
  }
  if (ports.size() > max_sweep_ports) {
    error = std::to_string(ports.size()) + " ports; a sweep takes at most " + std::to_string(max_sweep_ports);
    return std::nullopt;
  }
  return ports;
}

std::string_view to_string(expected_state s) {
  switch (s) {
    case expected_state::open: return "open";
    case expected_state::closed: return "closed";
    case expected_state::filtered: return "filtered";
    case expected_state::not_open: return "not_open";
  }
  return "open";
}

std::shared_ptr<const tcp_config> parse_tcp_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<tcp_config>();
  std::string error;
  const auto expect = check.contains("expect") && check["expect"].is_object() ? check["expect"]
                                                                                : nlohmann::json::object();

  if (check.contains("source_address")) {
    boost::system::error_code ec;
    const auto text = check["source_address"].is_string() ? check["source_address"].get<std::string>() : "";
    cfg->source_address = net::ip::make_address(text, ec);
    if (ec) errors.add("/source_address", "\"" + text + "\" is not an IP address");
  }
  if (check.contains("source_port")) {
    if (auto ports = parse_port_set(check["source_port"], error)) {
      cfg->source_ports = std::move(*ports);
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
  if (check.contains("close")) {
    const auto& c = check["close"];
    if (c == "fin") cfg->close = close_mode::fin;
    else if (c == "rst") cfg->close = close_mode::rst;
    else errors.add("/close", "expected \"fin\" or \"rst\"");
  }
  if (check.contains("responder")) {
    if (check["responder"].is_boolean()) cfg->responder = check["responder"].get<bool>();
    else errors.add("/responder", "expected true or false");
  }
  if (check.contains("hold")) {
    const auto text = check["hold"].is_string() ? check["hold"].get<std::string>() : "";
    if (auto d = parse_duration(text)) cfg->hold = *d;
    else errors.add("/hold", "expected a duration such as \"500ms\" or \"2s\"");
  }

  if (expect.contains("state")) {
    const auto& s = expect["state"];
    if (s == "open") cfg->state = expected_state::open;
    else if (s == "closed") cfg->state = expected_state::closed;
    else if (s == "filtered") cfg->state = expected_state::filtered;
    else if (s == "not_open") cfg->state = expected_state::not_open;
    else errors.add("/expect/state", "expected open, closed, filtered or not_open");
  }
  if (expect.contains("max_connect_ms")) {
    if (expect["max_connect_ms"].is_number() && expect["max_connect_ms"].get<double>() > 0)
      cfg->max_connect_ms = expect["max_connect_ms"].get<double>();
    else errors.add("/expect/max_connect_ms", "expected a positive number of milliseconds");
  }
  if (expect.contains("min_mss")) {
    const auto& m = expect["min_mss"];
    if (m.is_number_integer() && m.get<std::int64_t>() >= 1 && m.get<std::int64_t>() <= 65535)
      cfg->min_mss = m.get<std::uint32_t>();
    else errors.add("/expect/min_mss", "expected an MSS in bytes, 1-65535");
  }
  if (expect.contains("banner")) {
    cfg->banner = parse_pattern(expect["banner"], "/expect/banner", errors);
  }
  if (expect.contains("no_translation")) {
    if (expect["no_translation"].is_boolean()) cfg->no_translation = expect["no_translation"].get<bool>();
    else errors.add("/expect/no_translation", "expected true or false");
  }

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
