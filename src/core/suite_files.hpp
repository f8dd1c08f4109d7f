// Step one of loading a suite: read the main file and, recursively, the files it
// includes; parse them, locate their keys, and check their top-level keys.
#pragma once
#include "core/load_context.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace edgeprobe {

// Fills ctx.files (the main file first) and ctx.merge_order. `identity` is the
// main file's canonical path (empty for text that is not a file), so that a file
// including it is an include cycle.
void read_suite_files(load_context& ctx, std::string text, const std::string& label,
                      const std::filesystem::path& dir, const std::filesystem::path& identity);

// Why a text is not JSON: the byte offset to point at, and a message without
// nlohmann's position prefix (the diagnostic carries line and column) or its
// "last read" excerpt, which can hold a password written in the broken file.
struct json_text_error {
  std::size_t offset = 0;
  std::string message; // "invalid JSON: ..."
};

// Parses a suite or config file (comments allowed) into `out`. Every way the
// text can be wrong is an error returned, never an exception: a number too
// large for a double ("1e999") included.
std::optional<json_text_error> parse_json_text(const std::string& text, nlohmann::json& out);

} // namespace edgeprobe
