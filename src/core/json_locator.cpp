#include "core/json_locator.hpp"

#include "core/json_cursor.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace edgeprobe {

namespace {

// The position of byte `to`, counted on from `at`, the position of byte `from`.
text_position count_on(std::string_view text, std::size_t from, text_position at, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
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

} // namespace

text_position position_of(std::string_view text, std::size_t offset) {
  return count_on(text, 0, {1, 1}, std::min(offset, text.size()));
}

text_position json_locator::position_at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  if (offset < counted_to_) {
    counted_to_ = 0;
    counted_ = {1, 1};
  }
  counted_ = count_on(text_, counted_to_, counted_, offset);
  counted_to_ = offset;
  return counted_;
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

json_locator::json_locator(std::string text) : text_(std::move(text)) { scan(&duplicates_, nullptr, nullptr); }

namespace {

// A member's key as written: text[at, at + size), quotes included.
struct key_token {
  std::uint32_t at = 0;
  std::uint32_t size = 0;
  std::uint32_t node = 0; // its value's node, when indexing
};

// Compares a key as written with another, or with a key as a pointer names it,
// unescaping only what holds a backslash (almost no key does).
int compare_key(std::string_view written, std::string_view plain) {
  if (written.find('\\') == std::string_view::npos) return written.substr(1, written.size() - 2).compare(plain);
  return std::string_view(unescape_key(written)).compare(plain);
}
int compare_keys(std::string_view a, std::string_view b) {
  if (b.find('\\') == std::string_view::npos) return compare_key(a, b.substr(1, b.size() - 2));
  return compare_key(a, unescape_key(b));
}

// One step of a JSON pointer, with "~1" and "~0" turned back into '/' and '~'.
std::string pointer_token(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
      out += raw[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += raw[i];
    }
  }
  return out;
}

} // namespace

void json_locator::scan(std::vector<std::string>* duplicates, std::vector<node>* nodes,
                        std::vector<std::uint32_t>* children) const {
  // One frame per open array or object. An object's members so far wait in
  // `members` (sorted when it closes, to find keys written twice and, when
  // indexing, to look keys up by binary search); an array's elements wait in
  // `elements`. Both are stacks: a container's waiting entries sit above its
  // parent's and are gone when it closes.
  struct frame {
    bool object;
    std::uint32_t node;       // when indexing
    std::size_t waiting_from; // where its entries start in members or elements
    std::uint32_t next_index; // arrays: the index of the next element
    key_token key;            // how its parent names it: a key (size > 0) ...
    std::uint32_t index;      // ... or an index
  };
  std::vector<frame> stack;
  std::vector<key_token> members;
  std::vector<std::uint32_t> elements;
  const std::string_view text = text_;
  json_cursor in{text};
  if (in.starts("\xEF\xBB\xBF")) in.pos = 3; // nlohmann skips a UTF-8 byte order mark too

  // The pointer of the container on top of the stack: only ever built for a
  // duplicate key, never per value.
  auto pointer_of_top = [&] {
    std::string out;
    for (std::size_t i = 1; i < stack.size(); ++i) {
      const auto& f = stack[i];
      out = f.key.size > 0 ? child_pointer(out, unescape_key(text.substr(f.key.at, f.key.size)))
                           : child_pointer(out, f.index);
    }
    return out;
  };

  auto close = [&] {
    frame& f = stack.back();
    if (f.object) {
      const auto first = members.begin() + static_cast<std::ptrdiff_t>(f.waiting_from);
      auto token = [&](const key_token& k) { return text.substr(k.at, k.size); };
      std::sort(first, members.end(), [&](const key_token& a, const key_token& b) {
        const int c = compare_keys(token(a), token(b));
        return c != 0 ? c < 0 : a.at < b.at;
      });
      if (duplicates) {
        for (auto it = first; it != members.end() && it + 1 != members.end(); ++it)
          if (compare_keys(token(*it), token(*(it + 1))) == 0)
            duplicates->push_back(child_pointer(pointer_of_top(), unescape_key(token(*it))));
      }
      if (nodes) {
        (*nodes)[f.node].first = static_cast<std::uint32_t>(children->size());
        (*nodes)[f.node].count = static_cast<std::uint32_t>(members.end() - first);
        for (auto it = first; it != members.end(); ++it) children->push_back(it->node);
      }
      members.erase(first, members.end());
    } else if (nodes) {
      const auto first = elements.begin() + static_cast<std::ptrdiff_t>(f.waiting_from);
      (*nodes)[f.node].first = static_cast<std::uint32_t>(children->size());
      (*nodes)[f.node].count = static_cast<std::uint32_t>(elements.end() - first);
      children->insert(children->end(), first, elements.end());
      elements.erase(first, elements.end());
    }
    stack.pop_back();
  };

  key_token pending_key{0, 0, 0}; // the key of the value the cursor is about to read, if a member
  // At the start of a container's next entry: an object's key is read (the
  // cursor stops at its value), an array's entry has none.
  auto next_member = [&](bool object) {
    if (!object) {
      pending_key = {0, 0, 0};
      return;
    }
    const std::size_t key_at = in.pos;
    in.skip_string();
    pending_key = {static_cast<std::uint32_t>(key_at), static_cast<std::uint32_t>(in.pos - key_at), 0};
    in.skip_blanks();
    if (in.peek() == ':') ++in.pos;
  };
  bool want_value = true;
  in.skip_blanks();
  while (!in.at_end()) {
    if (want_value) {
      in.skip_blanks();
      const char c = in.peek();
      std::uint32_t id = 0;
      if (nodes) {
        id = static_cast<std::uint32_t>(nodes->size());
        node n;
        n.value_at = static_cast<std::uint32_t>(in.pos);
        if (pending_key.size > 0) {
          n.key_at = pending_key.at;
          n.key_size = pending_key.size;
        }
        nodes->push_back(n);
      }
      std::uint32_t index = 0;
      if (!stack.empty()) {
        if (stack.back().object) {
          pending_key.node = id;
          members.push_back(pending_key);
        } else {
          index = stack.back().next_index++;
          if (nodes) elements.push_back(id);
        }
      }
      if (c == '{' || c == '[') {
        const bool object = c == '{';
        stack.push_back({object, id, object ? members.size() : elements.size(), 0, pending_key, index});
        ++in.pos;
        in.skip_blanks();
        if (in.peek() == (object ? '}' : ']')) {
          ++in.pos;
          close();
          want_value = false;
        } else {
          next_member(object);
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
      next_member(stack.back().object);
      want_value = true;
    } else if (c == '}' || c == ']') {
      ++in.pos;
      close();
    } else {
      break; // cannot happen for text nlohmann accepted
    }
  }
  while (!stack.empty()) close(); // cannot happen either: leaves the index whole all the same
}

std::optional<std::uint32_t> json_locator::child(const node& parent, std::string_view token) const {
  const auto* first = children_.data() + parent.first;
  const auto* last = first + parent.count;
  if (text_[parent.value_at] == '[') {
    std::uint32_t index = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    const bool canonical = !token.empty() && (token.size() == 1 || token.front() != '0'); // "01" names no element
    if (!canonical || ec != std::errc() || end != token.data() + token.size() || index >= parent.count) return std::nullopt;
    return first[index];
  }
  const std::string key = pointer_token(token);
  const std::string_view text = text_;
  auto written = [&](std::uint32_t id) { return text.substr(nodes_[id].key_at, nodes_[id].key_size); };
  // The last member with that key: the one nlohmann keeps.
  const auto after = std::upper_bound(first, last, key, [&](const std::string& k, std::uint32_t id) {
    return compare_key(written(id), k) > 0;
  });
  if (after == first || compare_key(written(*(after - 1)), key) != 0) return std::nullopt;
  return *(after - 1);
}

namespace {

// How many values (arrays, objects, strings that are not keys, numbers and
// literals) the text holds: the index's size.
std::size_t count_values(std::string_view text) {
  std::size_t values = 0;
  json_cursor in{text};
  for (;;) {
    in.skip_blanks();
    if (in.at_end()) return values;
    const char c = in.peek();
    if (c == '"') {
      in.skip_string();
      in.skip_blanks();
      if (in.peek() == ':') ++in.pos; // a key
      else ++values;
    } else if (c == '[' || c == '{') {
      ++values;
      ++in.pos;
    } else if (c == ']' || c == '}' || c == ',' || c == ':') {
      ++in.pos;
    } else {
      const std::size_t before = in.pos;
      in.skip_literal();
      if (in.pos == before) ++in.pos; // a BOM's bytes, or what nlohmann would not have accepted
      else ++values;
    }
  }
}

// Past the value at the cursor, nested ones included.
void skip_value(json_cursor& in) {
  std::size_t depth = 0;
  do {
    in.skip_blanks();
    const char c = in.peek();
    if (c == '"') {
      in.skip_string();
    } else if (c == '[' || c == '{') {
      ++depth;
      ++in.pos;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
      ++in.pos;
    } else if (c == ',' || c == ':') {
      ++in.pos;
    } else {
      const std::size_t before = in.pos;
      in.skip_literal();
      if (in.pos == before) ++in.pos; // cannot happen in text nlohmann accepted
    }
  } while (depth > 0 && !in.at_end());
}

} // namespace

std::optional<text_position> json_locator::walk(std::string_view pointer, bool at_key) const {
  const std::string_view text = text_;
  json_cursor in{text};
  if (in.starts("\xEF\xBB\xBF")) in.pos = 3;
  in.skip_blanks();
  std::size_t value_at = in.pos;
  std::size_t key_at = std::string_view::npos;
  bool whole = true;
  while (!pointer.empty() && whole) {
    pointer.remove_prefix(1);
    const auto slash = pointer.find('/');
    const auto step = pointer.substr(0, slash);
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    whole = false;
    const char open = in.peek();
    if (open == '[') {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), index);
      if (step.empty() || (step.size() > 1 && step.front() == '0') || ec != std::errc() || end != step.data() + step.size())
        break;
      ++in.pos;
      in.skip_blanks();
      if (in.peek() == ']') break;
      std::size_t i = 0;
      for (; i < index; ++i) {
        skip_value(in);
        in.skip_blanks();
        if (in.peek() != ',') break;
        ++in.pos;
        in.skip_blanks();
      }
      if (i < index) break;
      value_at = in.pos;
      key_at = std::string_view::npos;
      whole = true;
    } else if (open == '{') {
      const std::string key = pointer_token(step);
      std::size_t found_key = std::string_view::npos, found_value = 0;
      ++in.pos;
      in.skip_blanks();
      while (in.peek() == '"') { // every member: the last one with the key is the one nlohmann keeps
        const std::size_t at = in.pos;
        in.skip_string();
        const bool match = compare_key(text.substr(at, in.pos - at), key) == 0;
        in.skip_blanks();
        if (in.peek() == ':') ++in.pos;
        in.skip_blanks();
        if (match) {
          found_key = at;
          found_value = in.pos;
        }
        skip_value(in);
        in.skip_blanks();
        if (in.peek() != ',') break;
        ++in.pos;
        in.skip_blanks();
      }
      if (found_key == std::string_view::npos) break;
      in.pos = found_value;
      value_at = found_value;
      key_at = found_key;
      whole = true;
    }
  }
  if (at_key && whole && key_at != std::string_view::npos) return position_at(key_at);
  return position_at(value_at);
}

std::optional<text_position> json_locator::find(std::string_view pointer, bool at_key) const {
  if (!pointer.empty() && pointer.front() != '/') return std::nullopt;
  if (text_.size() >= none) return std::nullopt; // offsets are 32 bits: 4 GiB is far past any file we read
  if (!indexed_ && walks_ < walks_before_index) {
    ++walks_;
    return walk(pointer, at_key);
  }
  if (!indexed_) {
    // Sized once: grown by doubling, the index would take up to twice its size
    // while it is built, for the largest files the most.
    const std::size_t values = count_values(text_);
    nodes_.reserve(values);
    children_.reserve(values);
    scan(nullptr, &nodes_, &children_);
    indexed_ = true;
  }
  if (nodes_.empty()) return std::nullopt;
  std::uint32_t at = 0;
  bool whole = true; // every step of the pointer found
  while (!pointer.empty()) {
    pointer.remove_prefix(1); // the '/'
    const auto slash = pointer.find('/');
    const auto step = pointer.substr(0, slash);
    const node& n = nodes_[at];
    const auto next = (text_[n.value_at] == '{' || text_[n.value_at] == '[') ? child(n, step) : std::nullopt;
    if (!next) {
      whole = false;
      break;
    }
    at = *next;
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
  }
  const node& found = nodes_[at];
  if (at_key && whole && found.key_at != none) return position_at(found.key_at);
  return position_at(found.value_at);
}

} // namespace edgeprobe
