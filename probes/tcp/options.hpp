// The tcp probe's options and expectations: the declarative spec (validation,
// `edgeprobe probes tcp`, the JSON Schema) and the typed configuration built
// from a check.
#pragma once
#include "core/byte_pattern.hpp"
#include "core/duration.hpp"
#include "core/probe.hpp"
#include "net/connect_settings.hpp"

#include <boost/asio/ip/address.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

enum class close_mode { fin, rst };

// source_address and the connect-time expectations are connect_settings, which
// every connecting probe shares.
struct tcp_config final : probe_config, connect_settings {
  std::vector<std::uint16_t> source_ports; // empty: an ephemeral port
  bool sweep = false;                      // a list or range: one attempt per port
  std::optional<std::string> send;
  close_mode close = close_mode::fin;
  bool responder = false;
  duration hold{0};

  std::optional<byte_pattern> banner;
  bool no_translation = false;
};

const probe_options& tcp_option_specs();

// Builds the configuration from a whole check object; adds every semantic error.
std::shared_ptr<const tcp_config> parse_tcp_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
