// ASCII-only case-insensitive equality, for protocol keywords, auth schemes and
// header names. The project has its own because Boost.Beast 1.81's iequals reads
// one byte past the end of both strings when they differ only in the case of
// their last character (found by the ntlm and ssrp fuzz targets under ASan).
#pragma once
#include <string_view>

namespace edgeprobe {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

} // namespace edgeprobe
