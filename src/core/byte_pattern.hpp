// Bytes as suites write them, shared by every probe that sends or expects raw
// bytes: {"text": "..."} or {"hex": "..."} to send, and a regex or {"hex": ...}
// prefix to expect. One grammar, one regex engine, one set of messages.
#pragma once
#include "core/probe.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

// Hex digits two per byte, bytes optionally separated by whitespace or colons as
// people paste them from Wireshark: "16 03 01", "de:ad:be:ef". An empty string is
// zero bytes. nullopt, with `error` set, on anything else.
std::optional<std::string> decode_hex(std::string_view text, std::string& error);

// The value of one hex digit, or -1 when `c` is not one.
int hex_digit(char c);

// {"text": "..."} (those characters, nothing appended) or {"hex": "..."}.
// Problems go to `errors` at `pointer` (bad hex at pointer + "/hex").
std::optional<std::string> parse_bytes(const nlohmann::json& value, const std::string& pointer,
                                       config_errors& errors);

// An expectation on received bytes: a regex (Perl/ECMAScript syntax) searched in
// them, or {"hex": ...}, an exact prefix.
struct byte_pattern {
  enum class result { matched, need_more, mismatch };

  // The compiled regex, opaque here so that only byte_pattern.cpp includes
  // <boost/regex.hpp> (through this header it reached 49 files).
  struct compiled;

  std::string written;             // as the suite wrote it, for messages
  std::shared_ptr<const compiled> regex;
  std::string prefix;              // {"hex": ...}: the bytes must start with these

  // `complete`: no more bytes will come (EOF, deadline, cap), so "not yet" is "no".
  // A regex too costly for these bytes (Boost.Regex gives up rather than run away
  // on hostile input) is a mismatch.
  result match(std::string_view seen, bool complete) const;
  bool matches(std::string_view seen) const { return match(seen, true) == result::matched; }

  // "/regex/" or "hex 16 03", for messages.
  std::string describe() const { return regex ? "/" + written + "/" : written; }
};

std::optional<byte_pattern> parse_pattern(const nlohmann::json& value, const std::string& pointer,
                                          config_errors& errors);

// Whether `text` compiles as a pattern; `error` says why not.
bool valid_regex(const std::string& text, std::string& error);

} // namespace edgeprobe
