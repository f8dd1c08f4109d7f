#include "cli/suite_input.hpp"

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

std::optional<suite> load_suites(const std::vector<std::string>& paths, const load_options& options) {
  std::vector<diagnostic> errors;
  std::vector<suite> loaded;
  for (const auto& path : paths) {
    auto result = load_suite_file(path, options);
    errors.insert(errors.end(), result.errors.begin(), result.errors.end());
    if (result.suite) loaded.push_back(std::move(*result.suite));
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
