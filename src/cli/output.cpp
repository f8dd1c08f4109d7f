#include "cli/output.hpp"

#include "report/nagios_report.hpp"
#include "report/redact.hpp"
#include "report/reporter.hpp"

#include <unistd.h>

#include <cstdlib>
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

int emit(run_result run, const secret_set& secrets, const output_flags& flags) {
  redact(run, secrets);
  report_options options;
  options.verbose = flags.verbose;
  options.quiet = flags.quiet;
  const std::string format = flags.format.empty() ? (isatty(STDOUT_FILENO) ? "human" : "json") : flags.format;
  options.color = format == "human" && colour_wanted();
  find_reporter(format)->write(run, std::cout, options);
  std::cout.flush();

  // With --format nagios the Monitoring Plugins convention decides the exit code (results.md).
  int code = format == "nagios" ? nagios_exit_code(run) : exit_code_for(run, flags.strict);
  for (const auto& spec : flags.reports) {
    const auto eq = spec.find('=');
    const std::string path = spec.substr(eq + 1);
    std::ofstream file(path);
    report_options to_file = options;
    to_file.color = false;
    find_reporter(spec.substr(0, eq))->write(run, file, to_file);
    if (!file) {
      std::cerr << "edgeprobe: could not write " << path << '\n';
      code = std::max(code, static_cast<int>(exit_failed));
    }
  }
  keep_until_exit(std::move(run));
  return code;
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
