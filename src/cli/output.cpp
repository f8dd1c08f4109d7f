#include "cli/output.hpp"

#include "report/nagios_report.hpp"
#include "report/redact.hpp"
#include "report/reporter.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

namespace edgeprobe::cli {

namespace {

std::string format_names() {
  std::string out;
  for (const auto& r : reporters()) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

bool colour_wanted() {
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !(no_colour && *no_colour) && !(term && std::string(term) == "dumb");
}

} // namespace

void add_output_flags(CLI::App& command, output_flags& flags) {
  command.add_option("--format", flags.format, "stdout's format: " + format_names() + " (default: human on a terminal, else json)");
  command.add_option("--report", flags.reports, "also write FORMAT=PATH (repeatable)");
  command.add_flag("-v,--verbose", flags.verbose, "show evidence under every check");
  command.add_flag("-q,--quiet", flags.quiet, "show only checks that did not pass, and the summary");
  command.add_flag("--strict", flags.strict, "count warnings as failures in the exit code");
}

bool output_flags_valid(const output_flags& flags) {
  if (!flags.format.empty() && !find_reporter(flags.format)) {
    std::cerr << "edgeprobe: unknown --format \"" << flags.format << "\"; formats: " << format_names() << '\n';
    return false;
  }
  for (const auto& spec : flags.reports) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq + 1 == spec.size() || !find_reporter(spec.substr(0, eq))) {
      std::cerr << "edgeprobe: --report takes FORMAT=PATH with FORMAT one of " << format_names() << ", not \"" << spec
                << "\"\n";
      return false;
    }
  }
  return true;
}

namespace {

std::string stdout_format(const output_flags& flags) {
  return flags.format.empty() ? (isatty(STDOUT_FILENO) ? "human" : "json") : flags.format;
}

} // namespace

bool writes_only_json(const output_flags& flags, const secret_set& secrets) {
  // Redaction walks details as JSON, so with secrets the evidence is JSON too.
  return stdout_format(flags) == "json" && flags.reports.empty() && secrets.empty();
}

int emit(run_result run, const secret_set& secrets, const output_flags& flags) {
  if (!writes_only_json(flags, secrets)) materialize_evidence(run);
  redact(run, secrets);
  report_options options;
  options.verbose = flags.verbose;
  options.quiet = flags.quiet;
  const std::string format = stdout_format(flags);
  options.color = format == "human" && colour_wanted();
  errno = 0;
  find_reporter(format)->write(run, std::cout, options);
  std::cout.flush();
  bool unwritten = false;
  if (!std::cout) {
    std::cerr << "edgeprobe: could not write the " << format << " report to standard output"
              << (errno ? std::string(": ") + std::strerror(errno) : std::string()) << '\n';
    unwritten = true;
  }

  for (const auto& spec : flags.reports) {
    const auto eq = spec.find('=');
    const std::string path = spec.substr(eq + 1);
    errno = 0;
    std::ofstream file(path);
    report_options to_file = options;
    to_file.color = false;
    find_reporter(spec.substr(0, eq))->write(run, file, to_file);
    file.close();
    if (!file) {
      std::cerr << "edgeprobe: could not write the report " << path
                << (errno ? std::string(": ") + std::strerror(errno) : std::string()) << '\n';
      unwritten = true;
    }
  }

  int code = 0;
  if (format == "nagios") {
    // The Monitoring Plugins convention decides the exit code (results.md).
    code = nagios_exit_code(run);
    if (unwritten && code != nagios_critical) code = nagios_unknown;
  } else {
    code = exit_code_for(run, flags.strict);
    if (unwritten && code != exit_internal) code = exit_unwritten;
  }
  keep_until_exit(std::move(run));
  return code;
}

int invalid_input(std::string_view format, std::string_view what) {
  if (format != "nagios") return exit_invalid;
  std::cout << "EDGEPROBE UNKNOWN - " << what << " (see standard error); nothing was checked\n";
  std::cout.flush();
  return nagios_unknown;
}

int invalid_input(const output_flags& flags, std::string_view what) { return invalid_input(flags.format, what); }

std::string format_asked(int argc, char** argv) {
  std::string format;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--format" && i + 1 < argc) format = argv[i + 1];
    else if (word.starts_with("--format=")) format = word.substr(9);
  }
  return format;
}

std::function<void(const check_result&, std::size_t, std::size_t)> progress_printer() {
  if (!isatty(STDERR_FILENO)) return {};
  struct state {
    clock::time_point start = clock::now();
    std::size_t failures = 0;
    bool shown = false;
  };
  auto s = std::make_shared<state>();
  return [s](const check_result& r, std::size_t done, std::size_t total) {
    if (r.outcome.state == status::fail || r.outcome.state == status::error) ++s->failures;
    if (!s->shown && clock::now() - s->start < std::chrono::seconds(1)) return;
    s->shown = true;
    std::cerr << "\r\033[K" << done << "/" << total << " checks done, " << s->failures << " failed";
    if (done == total) std::cerr << "\r\033[K";
    std::cerr.flush();
  };
}

} // namespace edgeprobe::cli
