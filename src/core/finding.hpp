// One finding a probe raised: what the check's reason would have been had it
// been the most severe. A verdict keeps all of them (result.hpp), so a later,
// worse failure does not hide an earlier warning; the runner writes them as
// `details.problems` (docs/results.md).
#pragma once
#include "core/reasons.hpp"
#include "core/status.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace edgeprobe {

struct finding {
  status state = status::warn;
  reason why = reason::none;
  std::string message;
  std::string address; // "192.0.2.10:443" on a check's list of a per-address probe; empty at the address itself
};

// Only warn, fail and error are findings: a pass (even with a reason) has
// nothing to fix, and a skip says the check did not run, not what it saw.
constexpr bool is_finding(status s) { return s == status::warn || s == status::fail || s == status::error; }

// [{"reason", "status", "message"}, ...] in order, with "address" when set.
nlohmann::json problems_json(const std::vector<finding>& findings);

} // namespace edgeprobe
