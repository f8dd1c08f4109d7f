// Test helper: run one check, given as the JSON a suite's "checks" array holds,
// through the real loader and runner.
#pragma once
#include "core/result.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace edgeprobe::test {

// `check` needs "probe" and "target"; "name" defaults to "check". Fails the test
// (doctest REQUIRE) if the check does not load. `compact_evidence`: leave the
// probes' evidence parts in the result, as `run --format json` does.
check_result run_check(nlohmann::json check, bool compact_evidence = false);

// The evidence of a check that ran against a single address.
inline const nlohmann::json& details_of(const check_result& r) {
  REQUIRE(r.addresses.size() == 1);
  return r.addresses.front().outcome.details;
}

// The check's reason code, e.g. "tls.cert.expired" ("" when none).
inline std::string reason_of(const check_result& r) { return std::string(code(r.outcome.why)); }

} // namespace edgeprobe::test
