#include "core/json_text.hpp"

#include "core/json_cursor.hpp"

namespace edgeprobe {

namespace {

using json = nlohmann::json;

// Builds the document the way json::parse does (nlohmann's own DOM builder),
// but stops the parse at the first array or object that opens past the limit:
// nlohmann's parser is iterative, so only what is built from its events could
// recurse, and nothing deeper than the limit is ever built.
class depth_limited_dom {
public:
  explicit depth_limited_dom(json& out) : dom_(out, true) {}

  std::size_t opened() const { return opened_; } // arrays and objects started, counting the refused one
  bool too_deep() const { return too_deep_; }

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) { return dom_.number_float(value, text); }
  bool string(json::string_t& value) { return dom_.string(value); }
  bool binary(json::binary_t& value) { return dom_.binary(value); }
  bool start_object(std::size_t size) { return open() && dom_.start_object(size); }
  bool key(json::string_t& value) { return dom_.key(value); }
  bool end_object() { return close() && dom_.end_object(); }
  bool start_array(std::size_t size) { return open() && dom_.start_array(size); }
  bool end_array() { return close() && dom_.end_array(); }
  // A template, as nlohmann's: it throws `e` as its own type (parse_error,
  // out_of_range), which parse_json_text catches and turns into an error.
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
    return dom_.parse_error(position, token, e);
  }

private:
  bool open() {
    ++opened_;
    if (++depth_ <= max_json_depth) return true;
    too_deep_ = true;
    return false;
  }
  bool close() {
    --depth_;
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  std::size_t opened_ = 0;
  bool too_deep_ = false;
};

// Where the n-th (1-based) '[' or '{' outside strings and comments is: the
// parser counted brackets, the diagnostic needs a position.
std::size_t offset_of_bracket(std::string_view text, std::size_t n) {
  json_cursor in{text};
  while (!in.at_end()) {
    in.skip_blanks();
    const char c = in.peek();
    if (c == '"') {
      in.skip_string();
    } else if (c == '[' || c == '{') {
      if (--n == 0) return in.pos;
      ++in.pos;
    } else if (!in.at_end()) {
      ++in.pos;
    }
  }
  return text.size();
}

std::string describe_parse_error(std::string_view what) {
  std::string_view text = what;
  if (auto at = text.find("syntax error"); at != std::string_view::npos) text = text.substr(at);
  else if (auto bracket = text.find("] "); bracket != std::string_view::npos) text = text.substr(bracket + 2);
  std::string out(text);
  if (auto last = out.find("; last read: '"); last != std::string::npos) {
    const auto expected = out.find("'; expected ", last);
    out.erase(last, expected == std::string::npos ? std::string::npos : expected + 1 - last);
  }
  return out;
}

json_text_error nul_byte_at(std::size_t offset) {
  return {offset, "invalid JSON: a NUL byte; a suite or config is text, and nothing may follow its JSON document",
          "", json_text_error::kind::nul_byte};
}

} // namespace

std::optional<json_text_error> parse_json_text(std::string_view text, nlohmann::json& out, json_text_options options) {
  out = nullptr;
  // nlohmann's lexer takes a NUL byte for the end of the input, so "{}\0junk"
  // would parse: any NUL the parse reached or stopped at is an error of its own.
  const std::size_t nul = text.find('\0');
  try {
    depth_limited_dom dom(out);
    const bool complete = json::sax_parse(text, &dom, json::input_format_t::json, true, options.comments);
    if (dom.too_deep()) {
      out = nullptr;
      return json_text_error{offset_of_bracket(text, dom.opened()),
                             "nested deeper than " + std::to_string(max_json_depth) + " levels",
                             "no suite or config needs more than a few; is the file what you meant to load?",
                             json_text_error::kind::too_deep};
    }
    if (!complete) return json_text_error{0, "invalid JSON", "", json_text_error::kind::syntax}; // cannot happen: errors throw
    if (nul != std::string_view::npos) {
      out = nullptr;
      return nul_byte_at(nul);
    }
    return std::nullopt;
  } catch (const json::parse_error& e) {
    out = nullptr;
    const std::size_t offset = e.byte == 0 ? 0 : e.byte - 1; // e.byte counts the bytes read, 1-based
    if (nul != std::string_view::npos && offset >= nul && e.what() != nullptr &&
        std::string_view(e.what()).find("end of input") != std::string_view::npos)
      return nul_byte_at(nul); // the parser stopped at the NUL, taking it for the end
    return json_text_error{offset, "invalid JSON: " + describe_parse_error(e.what()), "", json_text_error::kind::syntax};
  } catch (const json::out_of_range& e) {
    out = nullptr;
    // "number overflow parsing '1e999'": the only out_of_range a parse throws.
    // It carries no position, so point at the number itself.
    const std::string_view what = e.what();
    const auto open = what.find('\'');
    const auto close = what.rfind('\'');
    std::string number;
    if (open != std::string_view::npos && close > open) number = std::string(what.substr(open + 1, close - open - 1));
    const auto at = number.empty() ? std::string::npos : text.find(number);
    return json_text_error{at == std::string::npos ? 0 : at,
                           "invalid JSON: the number " + (number.empty() ? std::string("here") : number) +
                               " is too large for a double",
                           "", json_text_error::kind::number_too_large};
  }
}

} // namespace edgeprobe
