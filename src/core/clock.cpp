#include "core/clock.hpp"

#include <charconv>

namespace edgeprobe {

// to_chars, not printf: this is in every check's message, and printf's
// floating point is a microsecond a call.
std::string ms_text(double ms) {
  char buffer[48];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, ms, std::chars_format::fixed, ms < 10 ? 2 : 0);
  if (error != std::errc()) return "over 10^40 ms"; // no clock gets there
  return std::string(buffer, end) + " ms";
}

std::string ms_text(clock::duration d) { return ms_text(to_ms(d)); }

} // namespace edgeprobe
