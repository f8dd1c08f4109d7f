// The keys a suite file has whatever its probes are: the top-level keys and the
// keys common to every check, described as option specs so that the loader
// checks them and the JSON Schema describes them from one list.
#pragma once
#include "core/option_check.hpp"
#include "core/option_spec.hpp"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace edgeprobe {

struct suite_key {
  option_spec spec; // kind string for keys checked by hand (suite, target, probe, resolver, expect...)
  bool required = false;
  bool in_defaults = false; // may appear in `defaults`
};

const std::vector<suite_key>& top_level_keys();
const std::vector<suite_key>& common_check_keys();

const suite_key* find_common_check_key(std::string_view key);
std::vector<std::string_view> key_names(const std::vector<suite_key>& keys, bool defaults_only = false);

inline constexpr int max_retries = 10;

// Checks a common check key's value — every one except probe, target and expect,
// which depend on the registry. Normalises like check_option.
std::vector<option_problem> check_common_key(std::string_view key, nlohmann::json& value, const nlohmann::json& raw);

} // namespace edgeprobe
