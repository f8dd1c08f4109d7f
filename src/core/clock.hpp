// The one clock every deadline and phase is measured on.
#pragma once
#include <chrono>
#include <string>

namespace edgeprobe {

using clock = std::chrono::steady_clock;

// Milliseconds as a double with microsecond precision, as the result document wants.
inline double to_ms(clock::duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()) / 1000.0;
}

// For messages: "0.42 ms", "3.10 ms", "2017 ms" (two decimals below 10 ms).
std::string ms_text(double ms);
std::string ms_text(clock::duration d);

} // namespace edgeprobe
