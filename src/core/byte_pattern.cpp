#include "core/byte_pattern.hpp"

#include <boost/regex.hpp>

#include <stdexcept>

namespace edgeprobe {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

namespace {

bool separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':'; }

constexpr boost::regex::flag_type regex_syntax = boost::regex::perl;

// What is wrong with a pattern, in general terms. Boost's own text quotes a
// fragment of the pattern, and a pattern built from ${env:} or ${file:} holds
// a secret that a fragment would give away (redaction finds a whole secret,
// not a piece cut at an arbitrary point). The position is left out too: it
// would tell the secret's length.
std::string regex_mistake(boost::regex_constants::error_type code) {
  namespace rc = boost::regex_constants;
  switch (code) {
  case rc::error_collate: return "an unknown collating element in [[. .]]";
  case rc::error_ctype: return "an unknown character class in [[: :]]";
  case rc::error_escape: return "an invalid escape, or a trailing backslash";
  case rc::error_backref: return "a back reference to a group that does not exist";
  case rc::error_brack: return "an unmatched [";
  case rc::error_paren: return "an unmatched parenthesis";
  case rc::error_brace: return "an unmatched {";
  case rc::error_badbrace: return "an invalid repeat count in { }";
  case rc::error_range: return "an invalid character range, such as [z-a]";
  case rc::error_badrepeat: return "a repeat (*, +, ?, {n}) with nothing to repeat";
  case rc::error_empty: return "an empty pattern or alternative where one is not allowed";
  case rc::error_perl_extension: return "an invalid (?...) group";
  case rc::error_size:
  case rc::error_complexity:
  case rc::error_stack: return "a pattern too large or too complex";
  default: return "a syntax error";
  }
}

} // namespace

struct byte_pattern::compiled {
  boost::regex regex;
};

std::optional<std::string> decode_hex(std::string_view text, std::string& error) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (separator(text[i])) {
      ++i;
      continue;
    }
    const int high = hex_digit(text[i]);
    const int low = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
    if (high < 0 || low < 0) {
      const char bad = high < 0 ? text[i] : (i + 1 < text.size() ? text[i + 1] : '\0');
      error = bad == '\0' || separator(bad) ? "hex needs two digits per byte (at character " + std::to_string(i + 1) + ")"
                                            : std::string("not a hex digit: '") + bad + "'";
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::optional<std::string> parse_bytes(const nlohmann::json& value, const std::string& pointer,
                                       config_errors& errors) {
  if (!value.is_object() || value.size() != 1 || !(value.contains("text") || value.contains("hex")) ||
      !value.begin()->is_string()) {
    errors.add(pointer, "expected {\"text\": \"...\"} or {\"hex\": \"...\"}");
    return std::nullopt;
  }
  const auto& text = value.begin()->get_ref<const std::string&>();
  if (value.contains("text")) return text;
  std::string error;
  auto bytes = decode_hex(text, error);
  if (!bytes) errors.add(pointer + "/hex", error);
  return bytes;
}

byte_pattern::result byte_pattern::match(std::string_view seen, bool complete) const {
  if (regex) {
    bool found = false;
    try {
      found = boost::regex_search(seen.begin(), seen.end(), regex->regex);
    } catch (const std::runtime_error&) {
      return result::mismatch;
    }
    if (found) return result::matched;
    return complete ? result::mismatch : result::need_more;
  }
  const std::size_t n = std::min(seen.size(), prefix.size());
  if (seen.substr(0, n) != std::string_view(prefix).substr(0, n)) return result::mismatch;
  if (n == prefix.size()) return result::matched;
  return complete ? result::mismatch : result::need_more;
}

bool valid_regex(const std::string& text, std::string& error) {
  try {
    boost::regex compiled(text, regex_syntax);
    return true;
  } catch (const boost::regex_error& e) {
    error = "not a valid regular expression: " + regex_mistake(e.code());
    return false;
  }
}

std::optional<byte_pattern> parse_pattern(const nlohmann::json& value, const std::string& pointer,
                                          config_errors& errors) {
  byte_pattern p;
  std::string error;
  if (value.is_string()) {
    p.written = value.get<std::string>();
    if (!valid_regex(p.written, error)) {
      errors.add(pointer, error);
      return std::nullopt;
    }
    p.regex = std::make_shared<const byte_pattern::compiled>(byte_pattern::compiled{boost::regex(p.written, regex_syntax)});
    return p;
  }
  if (value.is_object() && value.size() == 1 && value.contains("hex") && value["hex"].is_string()) {
    const auto bytes = decode_hex(value["hex"].get_ref<const std::string&>(), error);
    if (!bytes || bytes->empty()) {
      errors.add(pointer + "/hex", bytes ? "an empty prefix matches anything; give the bytes expected" : error);
      return std::nullopt;
    }
    p.written = "hex " + value["hex"].get<std::string>();
    p.prefix = *bytes;
    return p;
  }
  errors.add(pointer, "expected a regular expression string or {\"hex\": \"...\"}");
  return std::nullopt;
}

} // namespace edgeprobe
