#include "core/option_check.hpp"

#include "core/byte_pattern.hpp"
#include "core/duration.hpp"
#include "core/json_locator.hpp"
#include "core/suggest.hpp"
#include "core/syntax.hpp"

#include <cmath>
#include <limits>

namespace edgeprobe {

namespace {

bool integer_within(const nlohmann::json& value, std::int64_t low, std::int64_t high) {
  std::int64_t n = 0;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    n = static_cast<std::int64_t>(u);
  } else {
    n = value.get<std::int64_t>();
  }
  return n >= low && n <= high;
}

class checker {
public:
  checker(const option_spec& spec, bool hide) : spec_(spec), hide_(hide) {}

  std::vector<option_problem> run(nlohmann::json& value, const nlohmann::json& raw) {
    check(value, raw);
    if (dropped_ > 0)
      problems_.push_back({"", "and " + std::to_string(dropped_) + " more problems in this value, not listed", ""});
    return std::move(problems_);
  }

private:
  // A list of a million wrong items is a hundred messages and a count: a
  // message each would hold many times the size of the file.
  static constexpr std::size_t max_problems = 100;

  void add(std::string pointer, std::string message, std::string suggestion = {}) {
    if (problems_.size() >= max_problems) {
      ++dropped_;
      return;
    }
    problems_.push_back({std::move(pointer), std::move(message), std::move(suggestion)});
  }

  // "must be X, not Y" — without the Y for a hidden value.
  void wrong(const std::string& pointer, const std::string& expected, const nlohmann::json& value,
             const nlohmann::json& raw, std::string suggestion = {}) {
    std::string message = "must be " + expected;
    if (!hide_) message += ", not " + show_value(value, raw);
    add(pointer, std::move(message), std::move(suggestion));
  }

  static const nlohmann::json& raw_child(const nlohmann::json& raw, const nlohmann::json& value, std::size_t i) {
    return raw.is_array() && i < raw.size() ? raw[i] : value[i];
  }
  static const nlohmann::json& raw_member(const nlohmann::json& raw, const nlohmann::json& value,
                                          const std::string& key) {
    if (raw.is_object()) {
      if (auto it = raw.find(key); it != raw.end()) return *it;
    }
    return value.at(key);
  }

  void check(nlohmann::json& value, const nlohmann::json& raw) {
    switch (spec_.kind) {
    case option_kind::string:
      if (!value.is_string()) wrong("", "a string", value, raw);
      return;
    case option_kind::file:
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) wrong("", "a file's path", value, raw);
      return;
    case option_kind::boolean:
      if (!value.is_boolean()) wrong("", "true or false", value, raw);
      return;
    case option_kind::integer: return check_integer(value, raw);
    case option_kind::duration: return check_duration(value, raw);
    case option_kind::choice: return check_choice(value, raw);
    case option_kind::string_list: return check_string_list(value, raw);
    case option_kind::port_set: return check_port_set(value, raw);
    case option_kind::bytes: return check_bytes(value, raw, true);
    case option_kind::pattern: return check_pattern(value, raw);
    case option_kind::string_map: return check_string_map(value, raw);
    case option_kind::status_set: return check_status_set(value, raw);
    case option_kind::address:
      if (!value.is_string() || !syntax::matches(syntax::ip_address(), value.get_ref<const std::string&>()))
        wrong("", "an IP address such as \"192.0.2.10\" or \"2001:db8::10\"", value, raw);
      return;
    }
  }

  void check_integer(nlohmann::json& value, const nlohmann::json& raw) {
    // A spec without a range (both 0) takes any integer.
    const bool bounded = spec_.min != 0 || spec_.max != 0;
    const std::string range =
        bounded ? " from " + std::to_string(spec_.min) + " to " + std::to_string(spec_.max) : "";
    if (!normalize_integer(value) || (bounded && !integer_within(value, spec_.min, spec_.max)))
      wrong("", "an integer" + range, value, raw);
  }

  void check_duration(const nlohmann::json& value, const nlohmann::json& raw) {
    const std::string expected = "a duration such as \"250ms\", \"5s\" or \"2m\"";
    if (value.is_number() && !hide_) {
      return wrong("", expected, value, raw, "write " + in_quotes(value.dump() + "s"));
    }
    if (!value.is_string()) return wrong("", expected, value, raw);
    const auto& text = value.get_ref<const std::string&>();
    if (parse_duration(text)) return;
    if (syntax::matches(syntax::duration(), text))
      return add("", hide_ ? "is too long a duration" : show_value(value, raw) + " is too long a duration",
                 "the longest is a year");
    std::string suggestion = "units are ms, s, m and h";
    if (!hide_ && !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos)
      suggestion = "write " + in_quotes(text + "s");
    wrong("", expected, value, raw, suggestion);
  }

  void check_choice(const nlohmann::json& value, const nlohmann::json& raw) {
    std::string expected;
    for (auto c : spec_.choices) expected += (expected.empty() ? "" : ", ") + in_quotes(c);
    expected = "one of " + expected;
    if (!value.is_string()) return wrong("", expected, value, raw);
    const auto& text = value.get_ref<const std::string&>();
    for (auto c : spec_.choices)
      if (c == text) return;
    auto near = nearest(text, spec_.choices);
    wrong("", expected, value, raw, near && !hide_ ? "did you mean " + in_quotes(*near) + "?" : "");
  }

  // [200, 204, "3xx"]: codes 100-599 and whole classes.
  void check_status_set(nlohmann::json& value, const nlohmann::json& raw) {
    const std::string expected = "a list of HTTP statuses, such as [200, 204] or [\"2xx\", 401]";
    if (!value.is_array() || value.empty()) return wrong("", expected, value, raw);
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto& item = value[i];
      const bool status_class = item.is_string() && item.get_ref<const std::string&>().size() == 3 &&
                                item.get_ref<const std::string&>()[0] >= '1' &&
                                item.get_ref<const std::string&>()[0] <= '5' &&
                                item.get_ref<const std::string&>().substr(1) == "xx";
      if (!status_class && !(normalize_integer(item) && integer_within(item, 100, 599)))
        wrong(child_pointer("", i), "a status from 100 to 599 or a class such as \"2xx\"", item,
              raw_child(raw, value, i));
    }
  }

  void check_string_list(const nlohmann::json& value, const nlohmann::json& raw) {
    if (!value.is_array()) return wrong("", "a list of strings", value, raw);
    for (std::size_t i = 0; i < value.size(); ++i)
      if (!value[i].is_string()) wrong(child_pointer("", i), "a string", value[i], raw_child(raw, value, i));
  }

  // A port as a number; "443" and "2280-2290" as strings (ranges normalised low-high).
  void check_port_set(nlohmann::json& value, const nlohmann::json& raw) {
    const std::string expected = "a port (1-65535), a list of ports, or a range such as \"2280-2290\"";
    if (value.is_string()) {
      const auto text = value.get<std::string>();
      if (!syntax::matches(syntax::port_range(), text)) return wrong("", expected, value, raw);
      const auto dash = text.find('-');
      const int low = std::stoi(text.substr(0, dash));
      if (dash == std::string::npos) {
        value = low;
        return;
      }
      const int high = std::stoi(text.substr(dash + 1));
      if (low > high) value = std::to_string(high) + "-" + std::to_string(low);
      return;
    }
    if (value.is_array()) {
      if (value.empty()) return wrong("", expected, value, raw);
      for (std::size_t i = 0; i < value.size(); ++i)
        if (!is_port(value[i])) wrong(child_pointer("", i), "a port from 1 to 65535", value[i], raw_child(raw, value, i));
      return;
    }
    if (!is_port(value)) wrong("", expected, value, raw);
  }

  static bool is_port(nlohmann::json& value) { return normalize_integer(value) && integer_within(value, 1, 65535); }

  // {"text": "..."} or {"hex": "..."}; with `allow_text` false only the hex form.
  void check_bytes(const nlohmann::json& value, const nlohmann::json& raw, bool allow_text) {
    const std::string expected = allow_text ? "{\"text\": \"...\"} or {\"hex\": \"...\"}" : "{\"hex\": \"...\"}";
    if (!value.is_object() || value.size() != 1) return wrong("", expected, value, raw);
    const std::string key = value.begin().key();
    const nlohmann::json& inner = value.begin().value();
    const std::vector<std::string_view> keys = allow_text ? std::vector<std::string_view>{"text", "hex"}
                                                          : std::vector<std::string_view>{"hex"};
    const std::string pointer = child_pointer("", key);
    if (key == "hex") {
      std::string why;
      if (!inner.is_string() || !decode_hex(inner.get_ref<const std::string&>(), why))
        wrong(pointer, "hex digits, two per byte (spaces or colons between bytes are fine)", inner,
              raw_member(raw, value, key));
    } else if (key == "text" && allow_text) {
      if (!inner.is_string()) wrong(pointer, "a string", inner, raw_member(raw, value, key));
    } else {
      auto near = nearest(key, keys);
      add(pointer, "unknown key; expected " + expected, near ? "did you mean " + in_quotes(*near) + "?" : "");
    }
  }

  void check_pattern(const nlohmann::json& value, const nlohmann::json& raw) {
    if (value.is_object()) return check_bytes(value, raw, false);
    if (!value.is_string()) return wrong("", "a regular expression or {\"hex\": \"...\"}", value, raw);
    std::string why;
    if (!valid_regex(value.get_ref<const std::string&>(), why))
      add("", hide_ ? "is " + why : show_value(value, raw) + " is " + why); // `why` quotes nothing of the pattern
  }

  void check_string_map(const nlohmann::json& value, const nlohmann::json& raw) {
    if (!value.is_object()) return wrong("", "an object of strings", value, raw);
    for (const auto& [key, inner] : value.items())
      if (!inner.is_string()) wrong(child_pointer("", key), "a string", inner, raw_member(raw, value, key));
  }

  const option_spec& spec_;
  bool hide_;
  std::vector<option_problem> problems_;
  std::size_t dropped_ = 0;
};

} // namespace

std::string in_quotes(std::string_view s) {
  // A 30 MB value quoted whole would bury the message: show its start and its size.
  constexpr std::size_t shown = 80;
  if (s.size() <= shown + 20) return "\"" + std::string(s) + "\"";
  std::size_t cut = shown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut; // not inside a UTF-8 character
  return "\"" + std::string(s.substr(0, cut)) + "…\" (" + std::to_string(s.size()) + " bytes)";
}

bool normalize_integer(nlohmann::json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  const double d = value.get<double>();
  // Beyond 2^63 a double is integral but no longer an exact integer; refuse those.
  if (std::trunc(d) != d || std::fabs(d) >= 9.2e18) return false;
  value = static_cast<std::int64_t>(d);
  return true;
}

std::string show_value(const nlohmann::json& value, const nlohmann::json& raw) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (raw.is_string() && raw.get_ref<const std::string&>() != text)
      return in_quotes(raw.get_ref<const std::string&>()) + " (which expands to " + in_quotes(text) + ")";
    return in_quotes(text);
  }
  if (value.is_object()) return "an object";
  if (value.is_array()) return "a list";
  return value.dump();
}

std::vector<option_problem> check_option(const option_spec& spec, nlohmann::json& value, const nlohmann::json& raw,
                                         bool hide_value) {
  return checker(spec, hide_value).run(value, raw);
}

} // namespace edgeprobe
