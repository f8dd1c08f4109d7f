#include "core/duration.hpp"

#include <charconv>
#include <cmath>

namespace edgeprobe {

std::optional<duration> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.'))
    ++digits;
  if (digits == 0 || text.front() == '.' || text[digits - 1] == '.') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (ec != std::errc{} || end != text.data() + digits) return std::nullopt;

  const std::string_view unit = text.substr(digits);
  double micros_per_unit = 0;
  if (unit == "ms") micros_per_unit = 1e3;
  else if (unit == "s") micros_per_unit = 1e6;
  else if (unit == "m") micros_per_unit = 60e6;
  else if (unit == "h") micros_per_unit = 3600e6;
  else return std::nullopt;

  const double micros = value * micros_per_unit;
  if (!std::isfinite(micros) || micros > 366.0 * 24 * 3600e6) return std::nullopt; // a year is plenty
  return duration{static_cast<duration::rep>(std::llround(micros))};
}

std::string format_duration(duration d) {
  const auto us = d.count();
  if (us % 3'600'000'000 == 0 && us != 0) return std::to_string(us / 3'600'000'000) + "h";
  if (us % 60'000'000 == 0 && us != 0) return std::to_string(us / 60'000'000) + "m";
  if (us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us % 1'000 == 0) return std::to_string(us / 1'000) + "ms";
  return std::to_string(static_cast<double>(us) / 1000.0) + "ms";
}

} // namespace edgeprobe
