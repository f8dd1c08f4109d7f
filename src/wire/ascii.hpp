// ASCII-only text helpers, for protocol keywords, auth schemes, header names,
// status words and hostnames: the one set the whole project uses. ASCII only
// on purpose: a byte from the wire over 0x7F is compared and copied as it is,
// never folded by a locale. The project has its own because Boost.Beast 1.81's
// iequals reads one byte past the end of both strings when they differ only in
// the case of their last character (found by the ntlm and ssrp fuzz targets
// under ASan).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

constexpr bool istarts_with_ascii(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals_ascii(text.substr(0, prefix.size()), prefix);
}

// Where `needle` first occurs in `text` at or after `from`, ASCII case
// ignored; npos when it does not.
// (Bodies of up to a MiB are searched for markers such as "<!DOCTYPE", so
// the first byte is looked for before the rest is compared: with memchr when
// it has no case.)
constexpr std::size_t ifind_ascii(std::string_view text, std::string_view needle, std::size_t from = 0) {
  if (from > text.size() || needle.size() > text.size() - from) return std::string_view::npos;
  if (needle.empty()) return from;
  const char first = ascii_lower(needle.front());
  const bool caseless = first == ascii_upper(first);
  const std::string_view rest = needle.substr(1);
  const std::size_t last = text.size() - needle.size();
  for (std::size_t i = from; i <= last; ++i) {
    if (caseless) {
      i = text.find(first, i);
      if (i == std::string_view::npos || i > last) return std::string_view::npos;
    } else if (ascii_lower(text[i]) != first) {
      continue;
    }
    if (iequals_ascii(text.substr(i + 1, rest.size()), rest)) return i;
  }
  return std::string_view::npos;
}

constexpr bool icontains_ascii(std::string_view text, std::string_view needle) {
  return ifind_ascii(text, needle) != std::string_view::npos;
}

inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

inline std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

// HTTP's optional whitespace (RFC 9110 5.6.3): space and tab, nothing else.
constexpr bool is_ows(char c) { return c == ' ' || c == '\t'; }

constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// XML's whitespace (XML 1.0 production S): space, tab, CR and LF. Not the
// C library's isspace, which adds \v and \f and follows the locale.
constexpr bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

} // namespace edgeprobe
