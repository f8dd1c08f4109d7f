// edgeprobe check PROBE TARGET: a one-check suite, with exactly run's behaviour.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/suite_input.hpp"
#include "core/json_text.hpp"
#include "probes/modules.hpp"

#include <filesystem>
#include <iostream>

namespace edgeprobe::cli {

namespace {

struct check_args {
  std::string probe;
  std::string target;
  std::vector<std::string> set;
  std::vector<std::string> expect;
  std::string resolver;
  std::string timeout;
  output_flags output;
};

// "key=value": the value as JSON when it parses (numbers, booleans, lists,
// objects), else as a string — so `--set source_port=2280-2290` needs no quotes.
// It parses as a suite file does (parse_json_text), nesting bounded before
// anything copies it: a value nested too deep is a mistake to report, not a string.
bool add_pairs(const std::vector<std::string>& pairs, const char* flag, nlohmann::json& into) {
  for (const auto& pair : pairs) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "edgeprobe: " << flag << " takes KEY=VALUE, not \"" << pair << "\"\n";
      return false;
    }
    const std::string key = pair.substr(0, eq);
    const std::string_view value = std::string_view(pair).substr(eq + 1);
    nlohmann::json parsed;
    if (const auto bad = parse_json_text(value, parsed, {.comments = false})) {
      if (bad->what == json_text_error::kind::too_deep) {
        std::cerr << "edgeprobe: " << flag << ' ' << key << ": the value is " << bad->message << " (at byte "
                  << bad->offset + 1 << "); " << bad->suggestion << '\n';
        return false;
      }
      parsed = std::string(value);
    }
    into[key] = std::move(parsed);
  }
  return true;
}

int check(const check_args& args) {
  if (!output_flags_valid(args.output)) return invalid_input(args.output, "invalid output flags");
  nlohmann::json c = {{"name", args.probe + " " + args.target}, {"probe", args.probe}, {"target", args.target}};
  if (!add_pairs(args.set, "--set", c)) return invalid_input(args.output, "invalid --set");
  nlohmann::json expect = nlohmann::json::object();
  if (!add_pairs(args.expect, "--expect", expect)) return invalid_input(args.output, "invalid --expect");
  if (!expect.empty()) c["expect"] = expect;
  if (!args.resolver.empty()) c["resolver"] = args.resolver;
  if (!args.timeout.empty()) c["timeout"] = args.timeout;
  const nlohmann::json suite_doc = {{"suite", "check"}, {"checks", nlohmann::json::array({c})}};

  auto loaded = load_suite_text(suite_doc.dump(2), "command line", std::filesystem::current_path(), {.probes = builtin_probes()});
  if (!loaded.suite) {
    print_diagnostics(loaded.errors);
    return invalid_input(args.output, "the check is invalid");
  }
  run_options options;
  options.on_result = progress_printer();
  return emit(run_suite(*loaded.suite, options), loaded.suite->secrets, args.output);
}

} // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<check_args>();
  auto* cmd = app.add_subcommand("check", "run one check from the command line");
  cmd->add_option("probe", args->probe, "probe name (see `edgeprobe probes`)")->required();
  cmd->add_option("target", args->target, "host:port, [v6]:port, a name or a URL, as the probe takes")->required();
  cmd->add_option("--set", args->set, "probe option KEY=VALUE (JSON when it parses, else a string)");
  cmd->add_option("--expect", args->expect, "expectation KEY=VALUE");
  cmd->add_option("--resolver", args->resolver, "DNS server: system, IP, IP:port or [v6]:port");
  cmd->add_option("--timeout", args->timeout, "the check's deadline, e.g. 2s");
  add_output_flags(*cmd, args->output);
  cmd->callback([args, &exit_code] { exit_code = check(*args); });
}

} // namespace edgeprobe::cli
