// What a probe asks of a TCP connection before it speaks its protocol: where
// to connect from, and the connect-time expectations (expect.state,
// max_connect_ms, min_mss). The tcp probe has them all; tls, http and every
// other connecting probe take the ones they offer from here, so a key means
// the same thing, with the same help text, wherever it appears.
#pragma once
#include "core/option_spec.hpp"

#include <boost/asio/ip/address.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace edgeprobe {

namespace net = boost::asio;

enum class expected_state { open, closed, filtered, not_open };

std::string_view to_string(expected_state s);

struct connect_settings {
  std::optional<net::ip::address> source_address;
  bool source_port_chosen = false; // the check names its source port(s): failing to use one is the check's fault
  expected_state state = expected_state::open;
  std::optional<double> max_connect_ms;
  std::optional<std::uint32_t> min_mss;
};

// The spec of one shared key: "source_address" among the options; "state",
// "max_connect_ms" or "min_mss" among the expectations. Throws
// std::out_of_range for any other key (a bug in a probe's spec).
const option_spec& connect_option_spec(std::string_view key);
const option_spec& connect_expect_spec(std::string_view key);

// Reads the shared keys that `check` holds into `into`. The loader has checked
// their types and ranges against the specs above.
void read_connect_settings(const nlohmann::json& check, connect_settings& into);

} // namespace edgeprobe
