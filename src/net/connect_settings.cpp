#include "net/connect_settings.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgeprobe {

namespace {

const std::vector<option_spec>& option_specs() {
  static const std::vector<option_spec> specs{
      {"source_address", option_kind::address,
       "Local IP address to connect from; it must be configured on this host."},
  };
  return specs;
}

const std::vector<option_spec>& expect_specs() {
  static const std::vector<option_spec> specs{
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
  };
  return specs;
}

const option_spec& find(const std::vector<option_spec>& specs, std::string_view key) {
  const auto it = std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.key == key; });
  if (it == specs.end()) throw std::out_of_range("no shared connect option \"" + std::string(key) + "\"");
  return *it;
}

expected_state state_from(std::string_view text) {
  if (text == "closed") return expected_state::closed;
  if (text == "filtered") return expected_state::filtered;
  if (text == "not_open") return expected_state::not_open;
  return expected_state::open;
}

} // namespace

std::string_view to_string(expected_state s) {
  switch (s) {
    case expected_state::open: return "open";
    case expected_state::closed: return "closed";
    case expected_state::filtered: return "filtered";
    case expected_state::not_open: return "not_open";
  }
  return "open";
}

const option_spec& connect_option_spec(std::string_view key) { return find(option_specs(), key); }
const option_spec& connect_expect_spec(std::string_view key) { return find(expect_specs(), key); }

void read_connect_settings(const nlohmann::json& check, connect_settings& into) {
  if (const auto it = check.find("source_address"); it != check.end())
    into.source_address = net::ip::make_address(it->get<std::string>());
  const auto expect = check.find("expect");
  if (expect == check.end()) return;
  if (const auto it = expect->find("state"); it != expect->end()) into.state = state_from(it->get<std::string>());
  if (const auto it = expect->find("max_connect_ms"); it != expect->end()) into.max_connect_ms = it->get<double>();
  if (const auto it = expect->find("min_mss"); it != expect->end()) into.min_mss = it->get<std::uint32_t>();
}

} // namespace edgeprobe
