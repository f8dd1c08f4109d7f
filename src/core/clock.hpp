// The one clock every deadline and phase is measured on.
#pragma once
#include <charconv>
#include <chrono>
#include <string>

namespace edgeprobe {

using clock = std::chrono::steady_clock;

// Milliseconds as a double with microsecond precision, as the result document wants.
inline double to_ms(clock::duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()) / 1000.0;
}

// For messages: "0.42 ms", "3.10 ms", "2017 ms" (two decimals below 10 ms).
// to_chars, not printf: this is in every check's message, and printf's
// floating point is a microsecond a call.
inline std::string ms_text(double ms) {
  char buffer[48];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, ms, std::chars_format::fixed, ms < 10 ? 2 : 0);
  if (error != std::errc()) return "over 10^40 ms"; // no clock gets there
  return std::string(buffer, end) + " ms";
}
inline std::string ms_text(clock::duration d) { return ms_text(to_ms(d)); }

} // namespace edgeprobe
