#include "cli/suite_input.hpp"

#include "core/suggest.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace edgeprobe::cli {

std::optional<std::map<std::string, std::string>> parse_vars(const std::vector<std::string>& pairs) {
  std::map<std::string, std::string> vars;
  for (const auto& pair : pairs) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "edgeprobe: --var takes NAME=VALUE, not \"" << pair << "\"\n";
      return std::nullopt;
    }
    vars[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return vars;
}

void print_diagnostics(const std::vector<diagnostic>& errors) {
  for (const auto& e : errors) std::cerr << e.to_string() << '\n';
  if (!errors.empty())
    std::cerr << errors.size() << (errors.size() == 1 ? " error" : " errors") << "; nothing was run\n";
}

std::vector<diagnostic> unknown_vars(const std::vector<std::string>& defined,
                                     const std::map<std::string, std::string>& vars) {
  const std::vector<std::string_view> names(defined.begin(), defined.end());
  std::vector<diagnostic> out;
  for (const auto& [name, value] : vars) {
    if (std::find(defined.begin(), defined.end(), name) != defined.end()) continue;
    const auto near = nearest(name, names);
    out.push_back({"command line", "", 0, 0,
                   "--var " + name + ": no suite file on the command line defines this variable",
                   near ? "did you mean \"" + *near + "\"?" : "define it in a suite's \"vars\", or leave it out"});
  }
  return out;
}

std::optional<suite> load_suites(const std::vector<std::string>& paths, const load_options& given) {
  load_options options = given;
  options.unknown_vars_are_errors = paths.size() <= 1;
  std::vector<diagnostic> errors;
  std::vector<suite> loaded;
  for (const auto& path : paths) {
    auto result = load_suite_file(path, options);
    errors.insert(errors.end(), result.errors.begin(), result.errors.end());
    if (result.suite) loaded.push_back(std::move(*result.suite));
  }
  if (errors.empty() && !options.unknown_vars_are_errors) {
    std::vector<std::string> defined;
    for (const auto& s : loaded) defined.insert(defined.end(), s.variables.begin(), s.variables.end());
    auto unknown = unknown_vars(defined, options.vars);
    errors.insert(errors.end(), unknown.begin(), unknown.end());
  }
  if (errors.empty() && loaded.size() > 1) {
    // Several files run as one suite; `needs` may cross files, so names must be unique.
    std::set<std::string> names;
    for (const auto& s : loaded)
      for (const auto& c : s.checks)
        if (!names.insert(c.name).second)
          errors.push_back({s.file, c.pointer + "/name", 0, 0,
                            "check name \"" + c.name + "\" is used by another suite on the command line",
                            "rename one of them"});
  }
  print_diagnostics(errors);
  if (!errors.empty() || loaded.empty()) return std::nullopt;

  suite combined = std::move(loaded.front());
  for (std::size_t i = 1; i < loaded.size(); ++i) {
    combined.name += "+" + loaded[i].name;
    for (auto& c : loaded[i].checks) combined.checks.push_back(std::move(c));
    combined.secrets.merge(loaded[i].secrets);
  }
  return combined;
}

} // namespace edgeprobe::cli
