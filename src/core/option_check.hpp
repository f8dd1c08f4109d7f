// Checks one option value against its option_spec: the type and range rules of
// every option_kind, with messages that show what was written and suggest a fix.
#pragma once
#include "core/option_spec.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

struct option_problem {
  std::string pointer; // relative to the value: "" for the value itself, "/2" for a list item
  std::string message;
  std::string suggestion;
};

// `value` is the expanded value, `raw` the same value as written (messages quote
// what the user wrote, and what it expanded to). `hide_value` keeps the value out
// of every message (a password, a value holding a secret). On success `value` is normalised to the one
// spelling probes must handle: 5.0 → 5, a port written as "443" → 443, a range
// written backwards → forwards.
std::vector<option_problem> check_option(const option_spec& spec, nlohmann::json& value,
                                         const nlohmann::json& raw, bool hide_value);

// `s` in double quotes, as messages show names and values; past 100 bytes,
// its first 80 and its size.
std::string in_quotes(std::string_view s);

// `value` as a message shows it: a string quoted (with its expansion when that
// differs), other scalars as JSON, containers by their kind.
std::string show_value(const nlohmann::json& value, const nlohmann::json& raw);

// Converts an integral floating-point number (5.0) to an integer in place, as JSON
// Schema counts it as one. Returns whether `value` now is an integer.
bool normalize_integer(nlohmann::json& value);

} // namespace edgeprobe
