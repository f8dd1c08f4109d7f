#include "core/json_locator.hpp"

#include <nlohmann/json.hpp>

namespace edgeprobe {

text_position position_of(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  text_position at{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((byte & 0xC0) != 0x80) { // continuation bytes belong to the character before
      ++at.column;
    }
  }
  return at;
}

std::string child_pointer(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child_pointer(std::string_view base, std::size_t index) {
  return std::string(base) + "/" + std::to_string(index);
}

json_locator::json_locator(std::string text) : text_(std::move(text)) { scan(); }

namespace {

// A cursor over JSON text that nlohmann already accepted, so it only needs to
// know where tokens end, never to reject anything; every step is bounds-checked
// all the same.
struct cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool at_end() const { return pos >= text.size(); }
  char peek() const { return at_end() ? '\0' : text[pos]; }
  bool starts(std::string_view s) const { return text.substr(pos, s.size()) == s; }

  void skip_blanks() {
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

  // The key at the cursor, unescaped the way nlohmann unescapes it.
  std::string read_key() {
    const std::size_t start = pos;
    skip_string();
    const auto token = text.substr(start, pos - start);
    // Without a backslash there is nothing to unescape (nlohmann would return
    // the same characters, or reject them and fall to the line below): the
    // common case skips a parser per key.
    if (token.size() >= 2 && token.find('\\') == std::string_view::npos) return std::string(token.substr(1, token.size() - 2));
    try {
      return nlohmann::json::parse(token).get<std::string>();
    } catch (const nlohmann::json::exception&) {
      return std::string(token.size() >= 2 ? token.substr(1, token.size() - 2) : token);
    }
  }
};

} // namespace

void json_locator::scan() {
  struct frame {
    std::string pointer;
    bool object;
    std::size_t next_index;
  };
  std::vector<frame> stack;
  cursor in{text_};
  if (in.starts("\xEF\xBB\xBF")) in.pos = 3; // nlohmann skips a UTF-8 byte order mark too

  // Reads the key of the next member of the object on top of the stack; returns
  // the member's pointer and leaves the cursor at its value.
  auto member = [&]() {
    const std::size_t key_at = in.pos;
    std::string pointer = child_pointer(stack.back().pointer, in.read_key());
    if (keys_.count(pointer)) duplicates_.push_back(pointer);
    keys_[pointer] = key_at;
    in.skip_blanks();
    if (in.peek() == ':') ++in.pos;
    return pointer;
  };

  std::string pending; // pointer of the value the cursor is about to read
  bool want_value = true;
  in.skip_blanks();
  while (!in.at_end()) {
    if (want_value) {
      in.skip_blanks();
      values_[pending] = in.pos;
      const char c = in.peek();
      if (c == '{' || c == '[') {
        stack.push_back({pending, c == '{', 0});
        if (stack.size() > depth_) depth_ = stack.size();
        ++in.pos;
        in.skip_blanks();
        if (in.peek() == (c == '{' ? '}' : ']')) {
          ++in.pos;
          stack.pop_back();
          want_value = false;
        } else if (c == '{') {
          pending = member();
        } else {
          pending = child_pointer(stack.back().pointer, stack.back().next_index++);
        }
      } else {
        if (c == '"') in.skip_string();
        else in.skip_literal();
        want_value = false;
      }
      continue;
    }
    in.skip_blanks();
    if (stack.empty()) break;
    const char c = in.peek();
    if (c == ',') {
      ++in.pos;
      in.skip_blanks();
      if (stack.back().object) pending = member();
      else pending = child_pointer(stack.back().pointer, stack.back().next_index++);
      want_value = true;
    } else if (c == '}' || c == ']') {
      ++in.pos;
      stack.pop_back();
    } else {
      break; // cannot happen for text nlohmann accepted
    }
  }
}

std::optional<text_position> json_locator::find(std::string_view pointer, bool at_key) const {
  if (at_key) {
    if (auto it = keys_.find(pointer); it != keys_.end()) return position_of(text_, it->second);
  }
  for (;;) {
    if (auto it = values_.find(pointer); it != values_.end()) return position_of(text_, it->second);
    const auto slash = pointer.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    pointer = pointer.substr(0, slash);
  }
}

} // namespace edgeprobe
