// Step one of loading a suite: read the main file and, recursively, the files it
// includes; parse them, locate their keys, and check their top-level keys.
#pragma once
#include "core/load_context.hpp"

#include <filesystem>
#include <string>

namespace edgeprobe {

// Fills ctx.files (the main file first) and ctx.merge_order. `identity` is the
// main file's canonical path (empty for text that is not a file), so that a file
// including it is an include cycle.
void read_suite_files(load_context& ctx, std::string text, const std::string& label,
                      const std::filesystem::path& dir, const std::filesystem::path& identity);

// The parse error as a message: nlohmann's explanation without its position
// prefix (the diagnostic carries line and column) and without the "last read"
// excerpt, which can hold a password written in the broken file.
std::string describe_parse_error(std::string_view what);

} // namespace edgeprobe
