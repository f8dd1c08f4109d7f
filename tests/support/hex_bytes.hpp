// Test helper: bytes from hex as specs and captures print them ("16 03 01",
// "de:ad", line breaks between groups), through the suite loader's own
// decode_hex. Malformed hex throws rather than giving short bytes (no doctest
// assertion: tests build constants from it at namespace scope, before any test).
#pragma once
#include "core/byte_pattern.hpp"

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace edgeprobe::test {

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::string error;
  const auto decoded = decode_hex(hex, error);
  if (!decoded) throw std::invalid_argument("test hex: " + error);
  return {decoded->begin(), decoded->end()};
}

} // namespace edgeprobe::test
