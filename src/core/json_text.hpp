// The one way text a user wrote (a suite, an include, the serve config, a
// `--set` value) becomes a JSON document: nesting bounded while parsing, so no
// recursive copy, walk or destructor ever meets a document deeper than
// max_json_depth; nothing after the document, not even a NUL byte; every
// problem an error with the byte offset to point at, never an exception.
#pragma once
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

// No meaningful suite or config nests deeper than about five levels.
constexpr std::size_t max_json_depth = 32;

// Why a text is not JSON: the byte offset to point at, and a message without
// nlohmann's position prefix (the diagnostic carries line and column) or its
// "last read" excerpt, which can hold a password written in the broken file.
struct json_text_error {
  enum class kind { syntax, too_deep, nul_byte, number_too_large };
  std::size_t offset = 0;
  std::string message; // "invalid JSON: ...", or "nested deeper than 32 levels"
  std::string suggestion;
  kind what = kind::syntax;
};

struct json_text_options {
  bool comments = true; // suites and configs allow // and /* */; a --set value does not
};

// Parses `text` into `out` (left null on error).
std::optional<json_text_error> parse_json_text(std::string_view text, nlohmann::json& out,
                                               json_text_options options = {});

} // namespace edgeprobe
