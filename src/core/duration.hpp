// Durations as suites write them: "250ms", "5s", "1.5s", "2m", "1h".
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

using duration = std::chrono::microseconds;

// nullopt for anything that is not a number followed by ms, s, m or h.
std::optional<duration> parse_duration(std::string_view text);
std::string format_duration(duration d); // "250ms", "5s", "2m"

} // namespace edgeprobe
