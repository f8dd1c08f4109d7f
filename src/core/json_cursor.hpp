// A cursor over JSON text (comments allowed) that only needs to know where
// tokens end: the text has already been accepted by nlohmann's parser, at least
// up to where the cursor goes, so it never rejects anything; every step is
// bounds-checked all the same.
#pragma once
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe {

struct json_cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool at_end() const { return pos >= text.size(); }
  char peek() const { return at_end() ? '\0' : text[pos]; }
  bool starts(std::string_view s) const { return text.substr(pos, s.size()) == s; }

  void skip_blanks() { // whitespace and comments
    while (!at_end()) {
      const char c = text[pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos;
      } else if (starts("//")) {
        while (!at_end() && text[pos] != '\n') ++pos;
      } else if (starts("/*")) {
        const auto end = text.find("*/", pos + 2);
        pos = end == std::string_view::npos ? text.size() : end + 2;
      } else {
        return;
      }
    }
  }

  void skip_string() { // at the opening quote
    ++pos;
    while (!at_end()) {
      const char c = text[pos];
      if (c == '\\') pos += 2;
      else if (c == '"') { ++pos; return; }
      else ++pos;
    }
    if (pos > text.size()) pos = text.size();
  }

  void skip_literal() { // numbers, true, false, null
    while (!at_end()) {
      const char c = text[pos];
      if (c == ',' || c == ']' || c == '}' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n') return;
      ++pos;
    }
  }
};

// A key token as written (quotes included), unescaped the way nlohmann
// unescapes it.
inline std::string unescape_key(std::string_view token) {
  // Without a backslash there is nothing to unescape (nlohmann would return the
  // same characters): the common case skips a parser per key.
  if (token.size() >= 2 && token.find('\\') == std::string_view::npos) return std::string(token.substr(1, token.size() - 2));
  try {
    return nlohmann::json::parse(token).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::string(token.size() >= 2 ? token.substr(1, token.size() - 2) : token);
  }
}

} // namespace edgeprobe
