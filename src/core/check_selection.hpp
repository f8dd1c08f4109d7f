// What `--only` and `--tags` pick from a suite: the named or tagged checks and
// everything they need, in suite order. A selection that picks nothing, or an
// --only name the suite does not have, is a mistake on the command line: run
// it and CI would go green having checked nothing.
#pragma once
#include "core/check.hpp"

#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct check_selection {
  std::vector<std::string> only; // check names; empty: every name
  std::vector<std::string> tags; // a check needs one of these; empty: any tags

  bool everything() const { return only.empty() && tags.empty(); }
};

struct selection_problem {
  std::string message;
  std::string suggestion; // may be empty
};

// Keeps only the selected checks (and what they need) in `s`. On a problem,
// `s` is left as it was.
std::optional<selection_problem> select_checks(suite& s, const check_selection& selection);

} // namespace edgeprobe
