// edgeprobe validate SUITE...: load and check only.
#include "cli/commands.hpp"
#include "cli/suite_input.hpp"
#include "core/exit_code.hpp"
#include "probes/modules.hpp"

#include <iostream>

namespace edgeprobe::cli {

void add_validate_command(CLI::App& app, int& exit_code) {
  auto suites = std::make_shared<std::vector<std::string>>();
  auto vars = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("validate", "load and validate suite files without running them");
  cmd->add_option("suites", *suites, "suite files (JSON)")->required();
  cmd->add_option("--var", *vars, "override a suite variable: NAME=VALUE (repeatable)");
  cmd->callback([suites, vars, &exit_code] {
    auto overrides = parse_vars(*vars);
    if (!overrides) {
      exit_code = exit_invalid;
      return;
    }
    load_options options{.probes = builtin_probes()};
    options.vars = *overrides;
    options.unknown_vars_are_errors = suites->size() <= 1;
    exit_code = exit_ok;
    std::vector<std::string> defined;
    for (const auto& path : *suites) {
      auto result = load_suite_file(path, options);
      print_diagnostics(result.errors);
      if (!result.suite) {
        exit_code = exit_invalid;
        continue;
      }
      defined.insert(defined.end(), result.suite->variables.begin(), result.suite->variables.end());
      std::cout << path << ": valid, " << result.suite->checks.size() << " checks\n";
    }
    if (exit_code == exit_ok && !options.unknown_vars_are_errors) {
      const auto unknown = unknown_vars(defined, options.vars);
      print_diagnostics(unknown);
      if (!unknown.empty()) exit_code = exit_invalid;
    }
  });
}

} // namespace edgeprobe::cli
