// The udp probe's options and expectations: their spec (for the loader, `edgeprobe
// probes udp` and the schema) and the typed configuration built from a check.
#pragma once
#include "core/probe.hpp"

#include <boost/regex.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe {

enum class udp_state { open, closed, filtered, not_open };

// expect.reply: a regex searched in the answer, or {"hex": ...}, an exact byte prefix.
struct reply_pattern {
  std::optional<boost::regex> regex;
  std::vector<std::uint8_t> prefix; // when regex is unset
  std::string text;                 // as written, for messages

  bool matches(std::span<const std::uint8_t> answer) const;
};

struct udp_config final : probe_config {
  std::vector<std::uint8_t> payload; // default: an empty datagram
  std::uint16_t source_port = 0;     // 0: ephemeral
  int retransmissions = 2;
  bool responder = false;
  udp_state state = udp_state::open;
  std::optional<reply_pattern> reply;
  bool no_translation = false;
};

const probe_options& udp_option_spec();

// Builds the configuration; adds every semantic error (bad hex, bad regex, ...).
std::shared_ptr<const udp_config> parse_udp_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
