// Step one of loading a suite: read the main file and, recursively, the files it
// includes; parse them, locate their keys, and check their top-level keys.
#pragma once
#include "core/json_text.hpp" // parse_json_text, which every file read here goes through
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

} // namespace edgeprobe
