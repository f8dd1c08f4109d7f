#include "wire/escape_bytes.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

constexpr char hex[] = "0123456789abcdef";

bool printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

void append_hex_escape(std::string& out, unsigned char c) {
  out += "\\x";
  out.push_back(hex[c >> 4]);
  out.push_back(hex[c & 0x0f]);
}

} // namespace

std::string escape_bytes(std::string_view bytes, std::size_t cap) {
  std::string out;
  const std::size_t n = std::min(bytes.size(), cap);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\\') out += "\\\\";
    else if (printable(c)) out += static_cast<char>(c);
    else append_hex_escape(out, c);
  }
  if (bytes.size() > n) out += "...(" + std::to_string(bytes.size() - n) + " more bytes)";
  return out;
}

std::string escape_unprintable(std::string_view bytes) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (printable(c)) out.push_back(ch);
    else append_hex_escape(out, c);
  }
  return out;
}

std::string escape_for_quotes(std::string_view bytes) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (printable(c) && c != '"' && c != '\\') out.push_back(ch);
    else append_hex_escape(out, c);
  }
  return out;
}

std::string hex_digits(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0x0f]);
  }
  return out;
}

} // namespace edgeprobe
