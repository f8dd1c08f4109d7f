// Line and column of every key and value of a JSON text, by JSON pointer.
// nlohmann's DOM keeps no positions, so this re-scans text that already parsed.
#pragma once
#include <cstddef>
#include <cstdint>
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

// Memory stays linear in the text whatever its shape: no pointer string is
// built per value (under a long key they would add up to the square of the
// text). The first few find()s walk the text; after them, an index of offsets
// (about 28 bytes a value) is built once. So a file that loads cleanly, or with
// a few mistakes, never holds one.
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

  const std::string& text() const { return text_; } // as given

private:
  static constexpr std::uint32_t none = 0xFFFFFFFF;
  struct node {
    std::uint32_t value_at = 0;
    std::uint32_t key_at = none; // the opening quote of a member's key
    std::uint32_t key_size = 0;  // the key as written, quotes included
    std::uint32_t first = 0;     // a container's children: children_[first, first + count);
    std::uint32_t count = 0;     // an object's sorted by key, then by position
  };
  // One pass over the text: the duplicate keys (with `duplicates`), the index
  // (with `nodes` and `children`), or both.
  void scan(std::vector<std::string>* duplicates, std::vector<node>* nodes, std::vector<std::uint32_t>* children) const;
  std::optional<std::uint32_t> child(const node& parent, std::string_view token) const;
  std::optional<text_position> walk(std::string_view pointer, bool at_key) const; // without the index
  static constexpr int walks_before_index = 8;
  // position_of, resumed from the last answer when it lies before `offset`.
  text_position position_at(std::size_t offset) const;

  std::string text_;
  std::vector<std::string> duplicates_;
  // Built by the first find().
  mutable bool indexed_ = false;
  mutable int walks_ = 0;
  mutable std::vector<node> nodes_; // nodes_[0] is the document
  mutable std::vector<std::uint32_t> children_;
  // The last position_at answer: diagnostics come mostly in document order, so
  // a file with a thousand mistakes is counted through once, not a thousand times.
  mutable std::size_t counted_to_ = 0;
  mutable text_position counted_ = {1, 1};
};

} // namespace edgeprobe
