// The dns probe's options and expectations: the declarative spec (validation,
// `edgeprobe probes dns`, the JSON Schema) and the typed configuration.
#pragma once
#include "core/probe.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct dns_config final : probe_config {
  std::optional<std::uint16_t> type; // unset: A and AAAA (as `family` allows), an address lookup
  bool tcp = false;
  bool recursion = true;

  std::uint8_t rcode = 0; // NOERROR
  std::optional<int> min_answers;
  std::vector<std::string> answers_include;
  std::vector<std::string> answers_exclude;
  std::optional<std::vector<std::string>> answers_exactly;
  std::optional<int> max_ms;
};

const probe_options& dns_option_specs();

// Builds the configuration from the check's options; adds every semantic error.
std::shared_ptr<const dns_config> parse_dns_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
