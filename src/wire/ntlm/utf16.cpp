// UTF-8 <-> UTF-16LE for NTLM's Unicode fields, and the uppercasing NTOWFv2
// applies to the user name. Invalid input never fails: it becomes U+FFFD, as
// Windows turns it into something rather than refusing to authenticate.
#include "wire/ntlm/utf16.hpp"

#include "wire/ntlm/ntlm.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <optional>

namespace edgeprobe::ntlm {

namespace {

constexpr char32_t replacement = 0xFFFD;

// How many continuation bytes follow a UTF-8 lead byte; nullopt when the byte
// cannot start a sequence (a continuation byte, or 0xF8 and above).
std::optional<std::size_t> continuation_bytes(unsigned char lead) {
  if (lead < 0x80) return 0;
  if ((lead & 0xE0) == 0xC0) return 1;
  if ((lead & 0xF0) == 0xE0) return 2;
  if ((lead & 0xF8) == 0xF0) return 3;
  return std::nullopt;
}

// The code point of the sequence at utf8[at] with `extra` continuation bytes;
// nullopt when cut short, overlong, a surrogate or over U+10FFFF.
std::optional<char32_t> sequence_at(std::string_view utf8, std::size_t at, std::size_t extra) {
  if (extra >= utf8.size() - at) return std::nullopt;
  char32_t cp = static_cast<unsigned char>(utf8[at]) & (0x7F >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(utf8[at + k]);
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  constexpr char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
  if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return cp;
}

// UTF-8 to code points; each byte that does not start a valid sequence
// becomes U+FFFD, and decoding goes on with the next byte.
std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto extra = continuation_bytes(static_cast<unsigned char>(utf8[i]));
    const auto cp = extra ? sequence_at(utf8, i, *extra) : std::nullopt;
    out.push_back(cp.value_or(replacement));
    i += cp ? *extra + 1 : 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 0x20;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20; // Latin-1: à..þ, not ÷
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;            // Cyrillic а..я
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;            // Cyrillic ѐ..џ
  return c;
}

} // namespace

std::string utf8_from_utf16le(std::span<const std::uint8_t> utf16) {
  std::string out;
  wire::reader in(utf16, wire::byte_order::little);
  while (in.remaining() >= 2) {
    const char32_t unit = in.u16("a UTF-16 code unit");
    if (unit >= 0xD800 && unit <= 0xDBFF && in.remaining() >= 2) {
      // A low surrogate next makes a pair; anything else is read again on
      // its own, so only the lone high surrogate is replaced.
      wire::reader next = in;
      const char32_t low = next.u16("a low surrogate");
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        in = next;
        continue;
      }
    }
    append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? replacement : unit);
  }
  return out;
}

std::vector<std::uint8_t> utf16le(std::string_view utf8) {
  wire::writer out(wire::byte_order::little);
  for (char32_t cp : code_points(utf8)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.u16(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      out.u16(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.u16(static_cast<std::uint16_t>(cp));
    }
  }
  return out.take();
}

std::string uppercase_user(std::string_view utf8) {
  std::string out;
  for (const char32_t cp : code_points(utf8)) append_utf8(out, upper(cp));
  return out;
}

} // namespace edgeprobe::ntlm
