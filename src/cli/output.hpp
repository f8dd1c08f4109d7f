// What `run`, `check` and `demo` share: output flags, writing the reports, the exit code.
#pragma once
#include "core/exit_code.hpp"
#include "core/result.hpp"
#include "core/secrets.hpp"
#include "run/runner.hpp"

#include <CLI/CLI.hpp>

#include <string>
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

// Redacts, writes stdout's format and every --report file; returns the exit code.
int emit(run_result run, const secret_set& secrets, const output_flags& flags);

// Progress on stderr for runs longer than a second, only on a TTY.
std::function<void(const check_result&, std::size_t, std::size_t)> progress_printer();

} // namespace edgeprobe::cli
