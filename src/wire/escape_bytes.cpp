#include "wire/escape_bytes.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace edgeprobe {

std::string escape_bytes(std::string_view bytes, std::size_t cap) {
  std::string out;
  const std::size_t n = std::min(bytes.size(), cap);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\\') out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      std::array<char, 5> hex{};
      std::snprintf(hex.data(), hex.size(), "\\x%02x", c);
      out += hex.data();
    }
  }
  if (bytes.size() > n) out += "...(" + std::to_string(bytes.size() - n) + " more bytes)";
  return out;
}

} // namespace edgeprobe
