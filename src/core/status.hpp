// The five verdicts a check, an address or a run can have, ordered by severity.
#pragma once
#include <optional>
#include <string_view>

namespace edgeprobe {

// Declaration order is severity order: a parent's status is its worst child's.
enum class status { pass, skip, warn, fail, error };

std::string_view to_string(status s);
std::optional<status> status_from_string(std::string_view s);

constexpr status worst(status a, status b) { return a < b ? b : a; }

} // namespace edgeprobe
