#include "support/check_runner.hpp"

#include "core/suite_loader.hpp"
#include "probes/modules.hpp"
#include "run/runner.hpp"

#include <doctest/doctest.h>

namespace edgeprobe::test {

check_result run_check(nlohmann::json check, bool compact_evidence) {
  if (!check.contains("name")) check["name"] = "check";
  const nlohmann::json suite_doc{{"suite", "test"}, {"checks", nlohmann::json::array({check})}};
  const auto loaded = load_suite_text(suite_doc.dump(), "test-check", EDGEPROBE_SOURCE_DIR, {.probes = builtin_probes()});
  for (const auto& e : loaded.errors) FAIL_CHECK(e.to_string());
  REQUIRE(loaded.suite);
  run_options options;
  options.handle_signals = false;
  options.compact_evidence = compact_evidence;
  auto result = run_suite(*loaded.suite, options);
  REQUIRE(result.results.size() == 1);
  return result.results.front();
}

} // namespace edgeprobe::test
