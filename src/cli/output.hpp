// What `run`, `check` and `demo` share: output flags, writing the reports, the exit code.
#pragma once
#include "core/exit_code.hpp"
#include "core/result.hpp"
#include "core/secrets.hpp"
#include "run/runner.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace edgeprobe::cli {

struct output_flags {
  std::string format;               // empty: human on a TTY, json otherwise
  std::vector<std::string> reports; // FORMAT=PATH
  bool verbose = false;
  bool quiet = false;
  bool strict = false;
};

void add_output_flags(CLI::App& command, output_flags& flags);

// Checks the flags before anything runs; prints the problem and returns false.
bool output_flags_valid(const output_flags& flags);

// Whether emit() writes the JSON document and nothing else, with no secret to
// redact: the run may then leave evidence parts for it to write directly
// (run_options::compact_evidence).
bool writes_only_json(const output_flags& flags, const secret_set& secrets);

// Redacts, writes stdout's format and every --report file; returns the exit code.
// A report that could not be written is exit_unwritten (nagios: UNKNOWN unless
// a check failed), whatever the checks said: the results were not recorded.
int emit(run_result run, const secret_set& secrets, const output_flags& flags);

// The exit code for input that keeps anything from running; the problems are
// already on stderr. Under --format nagios it is UNKNOWN with a status line on
// stdout, as the Monitoring Plugins guidelines ask: a typo in a suite is not a
// broken target, and must not page anyone as CRITICAL.
int invalid_input(const output_flags& flags, std::string_view what);
int invalid_input(std::string_view format, std::string_view what);

// The --format the command line asks for, read from the words themselves: for
// a command line CLI11 refused, where no flag was parsed.
std::string format_asked(int argc, char** argv);

// For a command that ends the process right after: keeps `value` reachable
// until exit instead of destroying it. Freeing a 10,000-check run allocation
// by allocation took 6% of the run's CPU; the kernel takes the pages back at
// once. Not for anything long-running (serve).
template <class T> void keep_until_exit(T&& value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>;
  kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

// Progress on stderr for runs longer than a second, only on a TTY.
std::function<void(const check_result&, std::size_t, std::size_t)> progress_printer();

} // namespace edgeprobe::cli
