// edgeprobe run SUITE...
#include "cli/commands.hpp"
#include "cli/one_shot_memory.hpp"
#include "cli/output.hpp"
#include "cli/suite_input.hpp"
#include "core/check_selection.hpp"
#include "probes/modules.hpp"

#include <cmath>
#include <iostream>

namespace edgeprobe::cli {

namespace {

struct run_args {
  std::vector<std::string> suites;
  std::vector<std::string> vars;
  std::vector<std::string> tags;
  std::vector<std::string> only;
  std::size_t concurrency = run_options{}.concurrency;
  std::size_t threads = run_options{}.threads;
  std::size_t start_rate = run_options{}.starts_per_ms;
  double timeout_scale = 1.0;
  output_flags output;
};

int run(const run_args& args) {
  if (!output_flags_valid(args.output)) return invalid_input(args.output, "invalid output flags");
  keep_freed_memory_until_exit();
  auto vars = parse_vars(args.vars);
  if (!vars) return invalid_input(args.output, "invalid --var");
  load_options load{.probes = builtin_probes()};
  load.vars = *vars;
  auto s = load_suites(args.suites, load);
  if (!s) return invalid_input(args.output, "the suite is invalid");
  if (auto problem = select_checks(*s, {args.only, args.tags})) {
    std::cerr << "edgeprobe: " << problem->message << (problem->suggestion.empty() ? "" : "; " + problem->suggestion)
              << '\n';
    return invalid_input(args.output, problem->message);
  }

  run_options options;
  options.concurrency = args.concurrency;
  options.threads = args.threads;
  options.starts_per_ms = args.start_rate;
  options.timeout_scale = args.timeout_scale;
  options.on_result = progress_printer();
  options.compact_evidence = writes_only_json(args.output, s->secrets);
  const int code = emit(run_suite(*s, options), s->secrets, args.output);
  keep_until_exit(std::move(*s));
  return code;
}

// CLI11's Range compares, and NaN compares false both ways: it would pass, and
// every check would then end at once with check.timeout.
CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) {
        std::size_t used = 0;
        double value = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          return std::string("not a number: ") + text;
        }
        if (used != text.size() || !std::isfinite(value)) return std::string("not a finite number: ") + text;
        return std::string();
      },
      "NUMBER");
}

} // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<run_args>();
  auto* cmd = app.add_subcommand("run", "run the checks of one or more suite files");
  cmd->add_option("suites", args->suites, "suite files (JSON)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--var", args->vars, "override a suite variable: NAME=VALUE (repeatable)");
  cmd->add_option("--tags", args->tags, "run only checks with one of these tags (and what they need)")->delimiter(',');
  cmd->add_option("--only", args->only, "run only the check with this name (and what it needs; repeatable)");
  cmd->add_option("--concurrency", args->concurrency, "checks in flight at once")->check(CLI::Range(1, 65536));
  cmd->add_option("--threads", args->threads, "threads running checks (default 0: one per core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--start-rate", args->start_rate,
                  "checks started per millisecond at most, so a suite does not make its own burst (0: unpaced)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--timeout-scale", args->timeout_scale, "multiply every timeout (slow links)")
      ->check(finite_number() & CLI::Range(0.01, 100.0));
  add_output_flags(*cmd, args->output);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace edgeprobe::cli
