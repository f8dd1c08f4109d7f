#include "core/status.hpp"

#include <array>

namespace edgeprobe {

namespace {
constexpr std::array<std::string_view, 5> names{"pass", "skip", "warn", "fail", "error"};
}

std::string_view to_string(status s) { return names[static_cast<std::size_t>(s)]; }

std::optional<status> status_from_string(std::string_view s) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<status>(i);
  return std::nullopt;
}

} // namespace edgeprobe
