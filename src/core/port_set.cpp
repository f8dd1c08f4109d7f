#include "core/port_set.hpp"

#include <charconv>
#include <set>

namespace edgeprobe {

namespace {

std::optional<std::uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

} // namespace

std::optional<std::vector<std::uint16_t>> parse_port_set(const nlohmann::json& value, std::string& error) {
  std::vector<std::uint16_t> ports;
  auto add_range = [&](std::string_view text) {
    const auto dash = text.find('-');
    const auto first = port_number(text.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : port_number(text.substr(dash + 1));
    if (!first || !last) {
      error = "\"" + std::string(text) + "\" is not a port (1-65535) or a range \"2280-2290\"";
      return false;
    }
    if (*last < *first) {
      error = "range \"" + std::string(text) + "\" is reversed; write \"" + std::to_string(*last) + "-" +
              std::to_string(*first) + "\"";
      return false;
    }
    if (static_cast<std::size_t>(*last - *first) + 1 > max_sweep_ports) {
      error = "range \"" + std::string(text) + "\" has " + std::to_string(*last - *first + 1) +
              " ports; a sweep takes at most " + std::to_string(max_sweep_ports);
      return false;
    }
    for (unsigned p = *first; p <= *last; ++p) ports.push_back(static_cast<std::uint16_t>(p));
    return true;
  };
  auto add_one = [&](const nlohmann::json& item) {
    if (item.is_number_integer()) {
      const auto n = item.get<std::int64_t>();
      if (n < 1 || n > 65535) {
        error = std::to_string(n) + " is not a port (1-65535)";
        return false;
      }
      ports.push_back(static_cast<std::uint16_t>(n));
      return true;
    }
    if (item.is_string()) return add_range(item.get_ref<const std::string&>());
    error = "expected a port number, a list of ports, or a range string \"2280-2290\"";
    return false;
  };

  if (value.is_array()) {
    if (value.empty()) {
      error = "the list of ports is empty";
      return std::nullopt;
    }
    for (const auto& item : value)
      if (!add_one(item)) return std::nullopt;
  } else if (!add_one(value)) {
    return std::nullopt;
  }
  std::set<std::uint16_t> seen;
  for (const auto p : ports) {
    if (!seen.insert(p).second) {
      error = "port " + std::to_string(p) + " is given twice";
      return std::nullopt;
    }
  }
  if (ports.size() > max_sweep_ports) {
    error = std::to_string(ports.size()) + " ports; a sweep takes at most " + std::to_string(max_sweep_ports);
    return std::nullopt;
  }
  return ports;
}

} // namespace edgeprobe
