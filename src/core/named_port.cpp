#include "core/named_port.hpp"

#include <charconv>

namespace edgeprobe {

std::optional<named_port> parse_named_port(std::string_view text) {
  const auto equals = text.find('=');
  named_port out{std::string(text.substr(0, equals))};
  if (equals == std::string_view::npos) return out;
  const auto port = text.substr(equals + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || port.size() > 5 || ec != std::errc{} || end != port.data() + port.size() || value > 65535)
    return std::nullopt;
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

} // namespace edgeprobe
