// Test helper: run one check, given as the JSON a suite's "checks" array holds,
// through the real loader and runner.
#pragma once
#include "core/result.hpp"

#include <nlohmann/json.hpp>

namespace edgeprobe::test {

// `check` needs "probe" and "target"; "name" defaults to "check". Fails the test
// (doctest REQUIRE) if the check does not load.
check_result run_check(nlohmann::json check);

} // namespace edgeprobe::test
