#include "run/address_verdict.hpp"

#include <string>

namespace edgeprobe {

namespace {

std::string where(const address_result& a) {
  const bool v6 = a.address.find(':') != std::string::npos;
  return (v6 ? "[" + a.address + "]" : a.address) + ":" + std::to_string(a.port);
}

bool holds(status s) { return s == status::pass || s == status::warn; }

// The check's findings: every address's, in address order, each labelled with
// its address, with the status it had there (under addresses: any a failing
// address stays "fail" in the list while the check only warns).
std::vector<finding> labelled_findings(const std::vector<address_result>& addresses) {
  std::vector<finding> out;
  for (const auto& a : addresses)
    for (auto f : a.outcome.findings) {
      f.address = where(a);
      out.push_back(std::move(f));
    }
  return out;
}

} // namespace

std::pair<verdict, std::size_t> combine_addresses(const std::vector<address_result>& addresses,
                                                  address_mode mode) {
  if (addresses.size() == 1) {
    // Field by field: the evidence stays with the address, and copying it only
    // to drop it cost more than the rest of this function.
    const auto& only = addresses.front().outcome;
    verdict v;
    v.state = only.state;
    v.why = only.why;
    v.message = only.message;
    v.hint = only.hint;
    v.findings = labelled_findings(addresses);
    return {v, 0};
  }

  std::size_t worst_index = 0, failed = 0, first_failed = addresses.size();
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (addresses[i].outcome.state > addresses[worst_index].outcome.state) worst_index = i;
    if (!holds(addresses[i].outcome.state)) {
      ++failed;
      if (first_failed == addresses.size()) first_failed = i;
    }
  }
  const auto& decider = addresses[worst_index];
  verdict v;
  v.findings = labelled_findings(addresses);
  v.state = decider.outcome.state;
  v.why = decider.outcome.why;
  v.hint = decider.outcome.hint;
  const std::string count = std::to_string(failed) + " of " + std::to_string(addresses.size()) + " addresses";

  if (failed == 0) {
    v.message = decider.outcome.message;
    return {v, worst_index};
  }
  if (mode == address_mode::any && failed < addresses.size()) {
    // Enough addresses answer, but clients that pick a failing one will not work.
    const auto& bad = addresses[first_failed];
    v.state = status::warn;
    v.why = bad.outcome.why;
    v.hint = bad.outcome.hint;
    v.message = count + " failed (addresses: any); " + where(bad) + ": " + bad.outcome.message;
    return {v, first_failed};
  }
  v.message = count + " failed; " + where(decider) + ": " + decider.outcome.message;
  return {v, worst_index};
}

} // namespace edgeprobe
