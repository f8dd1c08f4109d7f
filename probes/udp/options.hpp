// The udp probe's options and expectations: their spec (for the loader, `edgeprobe
// probes udp` and the schema) and the typed configuration built from a check.
#pragma once
#include "core/byte_pattern.hpp"
#include "core/probe.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe {

enum class udp_state { open, closed, filtered, not_open };

struct udp_config final : probe_config {
  std::string payload; // default: an empty datagram
  std::uint16_t source_port = 0;     // 0: ephemeral
  int retransmissions = 2;
  bool responder = false;
  udp_state state = udp_state::open;
  std::optional<byte_pattern> reply;
  bool no_translation = false;
};

const probe_options& udp_option_spec();

// Builds the configuration; adds every semantic error (bad hex, bad regex, ...).
std::shared_ptr<const udp_config> parse_udp_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
