// Line and column of every key and value of a JSON text, by JSON pointer.
// nlohmann's DOM keeps no positions, so this re-scans text that already parsed.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

struct text_position {
  int line = 0;   // 1-based
  int column = 0; // 1-based, in characters (UTF-8 code points), as editors count
};

// Position of byte `offset` in `text` (clamped to the end of the text).
text_position position_of(std::string_view text, std::size_t offset);

// `base` + "/" + `key`, escaping '~' and '/' as RFC 6901 requires.
std::string child_pointer(std::string_view base, std::string_view key);
std::string child_pointer(std::string_view base, std::size_t index);

class json_locator {
public:
  json_locator() = default;
  // `text` must be JSON that nlohmann parsed (comments allowed).
  explicit json_locator(std::string text);

  // Where the value at `pointer` starts; with `at_key`, where its key is written
  // instead. A pointer that is not in the text (a value merged in from elsewhere)
  // resolves to its nearest enclosing value that is.
  std::optional<text_position> find(std::string_view pointer, bool at_key = false) const;

  // Members whose key is written again later in the same object (nlohmann keeps
  // the last; find(…, true) points at it).
  const std::vector<std::string>& duplicate_keys() const { return duplicates_; }
  std::size_t depth() const { return depth_; } // deepest nesting of arrays/objects

private:
  void scan();

  std::string text_;
  std::map<std::string, std::size_t, std::less<>> values_;
  std::map<std::string, std::size_t, std::less<>> keys_;
  std::vector<std::string> duplicates_;
  std::size_t depth_ = 0;
};

} // namespace edgeprobe
