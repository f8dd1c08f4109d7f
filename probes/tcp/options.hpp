// The tcp probe's options and expectations: the declarative spec (validation,
// `edgeprobe probes tcp`, the JSON Schema) and the typed configuration built
// from a check.
#pragma once
#include "core/byte_pattern.hpp"
#include "core/duration.hpp"
#include "core/probe.hpp"

#include <boost/asio/ip/address.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

enum class expected_state { open, closed, filtered, not_open };
enum class close_mode { fin, rst };

struct tcp_config final : probe_config {
  std::optional<net::ip::address> source_address;
  std::vector<std::uint16_t> source_ports; // empty: an ephemeral port
  bool sweep = false;                      // a list or range: one attempt per port
  std::optional<std::string> send;
  close_mode close = close_mode::fin;
  bool responder = false;
  duration hold{0};

  expected_state state = expected_state::open;
  std::optional<double> max_connect_ms;
  std::optional<std::uint32_t> min_mss;
  std::optional<byte_pattern> banner;
  bool no_translation = false;
};

constexpr std::size_t max_sweep_ports = 1024;

const probe_options& tcp_option_specs();

// Builds the configuration from a whole check object; adds every semantic error.
std::shared_ptr<const tcp_config> parse_tcp_config(const nlohmann::json& check, config_errors& errors);

// The pieces, for reuse and tests. Each returns nullopt and sets `error`.
std::optional<std::vector<std::uint16_t>> parse_port_set(const nlohmann::json& value, std::string& error);

std::string_view to_string(expected_state s);

} // namespace edgeprobe
