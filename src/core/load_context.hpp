// The state one suite load shares between its steps (reading files, expanding
// variables, defaults, checks, the needs graph): the files read so far, the
// diagnostics found so far, the secrets met so far.
#pragma once
#include "core/json_locator.hpp"
#include "core/registry.hpp"
#include "core/secrets.hpp"
#include "core/suite_loader.hpp"
#include "core/vars.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <deque>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

// One file of a suite: the main file or one it includes.
struct suite_file {
  std::string label;         // how messages name it
  std::filesystem::path dir; // includes and ${file:} are relative to it
  // As written, for quoting in messages: parsed again from the locator's text
  // the first time a message needs it, so a suite that loads cleanly holds one
  // document, not two.
  mutable std::optional<nlohmann::json> raw;
  nlohmann::json doc;        // variables expanded (after the expansion step)
  json_locator locator;
  bool included = false;
  std::set<std::string> unexpanded; // pointers of strings whose expansion failed (already reported)

  // Whether the value at `pointer`, or anything inside it, failed to expand: later
  // steps stay quiet about it rather than report the same mistake twice.
  bool expansion_failed(const std::string& pointer) const;
};

class load_context {
public:
  explicit load_context(const load_options& options)
      : options(options), probes(options.probes) {}

  // Reports a problem at `pointer` of files[file]: at the key of that member
  // (unknown keys) or at its value (everything else).
  void error(std::size_t file, const std::string& pointer, std::string message, std::string suggestion = {},
             bool at_key = false);
  // For files that have no locator (unreadable, not JSON).
  void error(const std::string& label, std::string pointer, text_position at, std::string message,
             std::string suggestion = {});

  std::size_t error_count() const { return errors_.size(); }
  // Every error once, in file order then position, with secrets redacted.
  std::vector<diagnostic> take_errors();

  // The raw value at `pointer` of files[file] (null when absent).
  const nlohmann::json& raw_at(std::size_t file, const std::string& pointer) const;
  // Whether `value` (or a string inside it) holds a secret met so far. Its
  // errors then quote neither the value nor what is derived from it: a "did
  // you mean" names the valid spelling nearest to the secret.
  bool holds_secret(const nlohmann::json& value) const;
  // Whether messages about option `key` with `value` must not quote the value:
  // a password, or anything that holds a secret.
  bool hides(std::string_view key, const nlohmann::json& value) const {
    return key == "password" || holds_secret(value);
  }

  // `check(copy, raw)`'s problems with `value`, leaving `copy` as the check
  // normalised it. The value as written (raw_at: a second parse of the file)
  // is only needed to quote it in a message, so it is fetched only once there
  // is one; until then the expanded value stands in for it.
  template <class Check>
  auto problems_quoting_raw(std::size_t file, const std::string& pointer, const nlohmann::json& value,
                            nlohmann::json& copy, Check check) const {
    copy = value;
    auto problems = check(copy, value);
    if (problems.empty()) return problems;
    copy = value;
    return check(copy, raw_at(file, pointer));
  }

  const load_options& options;
  const registry& probes;
  std::deque<suite_file> files;      // deque: steps hold references while includes are added
  std::vector<std::size_t> merge_order; // includes before their includer
  variables vars;
  secret_set secrets;

  // Diagnostics kept: a file with millions of mistakes (a list of a million
  // numbers where strings belong) would otherwise hold a message for each, many
  // times the size of the file; the rest are counted.
  static constexpr std::size_t max_errors = 1000;

private:
  bool full(); // counts one more dropped diagnostic when max_errors are kept

  std::size_t dropped_ = 0;
  struct entry {
    std::size_t order; // files[] index, or files.size() at the time for files without one
    diagnostic d;
  };
  std::vector<entry> errors_;
};

} // namespace edgeprobe
