// Loading suites for a command: diagnostics to stderr, --var overrides, and
// several suite files run as one.
#pragma once
#include "core/suite_loader.hpp"

#include <optional>
#include <string>
#include <vector>

namespace edgeprobe::cli {

// "name=value" pairs from --var; prints and returns nullopt on a malformed one.
std::optional<std::map<std::string, std::string>> parse_vars(const std::vector<std::string>& pairs);

// Prints every diagnostic to stderr; returns the suite only when all loaded.
std::optional<suite> load_suites(const std::vector<std::string>& paths, const load_options& options);

void print_diagnostics(const std::vector<diagnostic>& errors);

// With several suite files, a --var needs only one of them to define it: one
// error per --var name none of `defined` has, with the nearest suggested.
std::vector<diagnostic> unknown_vars(const std::vector<std::string>& defined,
                                     const std::map<std::string, std::string>& vars);

} // namespace edgeprobe::cli
