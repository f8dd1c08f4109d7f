// Loads and validates suite files (suite-format.md): comments, vars, ${env:},
// ${file:}, secrets, defaults, durations, include, needs, strict keys. Reports
// every error at once, each with file, JSON pointer, line/column and a suggestion.
#pragma once
#include "core/check.hpp"
#include "core/registry.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

struct diagnostic {
  std::string file;
  std::string pointer;    // JSON pointer, "" for the whole document
  int line = 0;           // 1-based; 0 when unknown
  int column = 0;
  std::string message;    // never contains a secret value
  std::string suggestion; // "did you mean \"san_includes\"?", may be empty

  // "suite.json:12:5: /checks/2/expect/san_include: unknown key; did you mean \"san_includes\"?"
  std::string to_string() const;
};

struct load_options {
  const registry& probes; // the probes a check may name (the cli passes every built-in one)
  std::map<std::string, std::string> vars = {}; // override the suite's `vars` (CLI --var, demo)
  // A name in `vars` that the suite does not define is an error (a typo would
  // otherwise be ignored). Off when several files share one --var list: the
  // caller then checks the names against every file (suite::variables).
  bool unknown_vars_are_errors = true;
  // Probe options under every suite's own `defaults` (serve's `close: rst`):
  // a check whose probe knows the key and that does not set it gets this value.
  // The caller has checked the values; they are not the suite's mistakes.
  std::map<std::string, nlohmann::json> outer_defaults = {};
};

struct load_result {
  std::optional<edgeprobe::suite> suite; // set when there are no errors
  std::vector<diagnostic> errors;
};

load_result load_suite_file(const std::filesystem::path& path, const load_options& options);

// `label` names the text in messages; includes and ${file:} resolve against `base_dir`.
load_result load_suite_text(std::string_view text, const std::string& label,
                            const std::filesystem::path& base_dir, const load_options& options);

// The JSON Schema for suites, generated from the registry's option specs.
nlohmann::json suite_schema(const registry& probes);

} // namespace edgeprobe
