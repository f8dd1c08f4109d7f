// include: merging vars, defaults and checks from other files; precedence; cycles,
// diamonds, duplicates, and errors inside an included file naming that file.
#include "suite_loader_fakes.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace edgeprobe;
using test::all_errors;
using test::data_dir;
using test::load_fake_file;

namespace {

const check_spec* find_check(const suite& s, std::string_view name) {
  for (const auto& c : s.checks)
    if (c.name == name) return &c;
  return nullptr;
}

bool any_error_contains(const load_result& r, std::string_view text) {
  return std::any_of(r.errors.begin(), r.errors.end(),
                     [&](const diagnostic& d) { return d.to_string().find(text) != std::string::npos; });
}

} // namespace

TEST_CASE("include merges checks from every file, nested, with the includer's vars winning") {
  const auto r = load_fake_file(data_dir() / "include/main.json");
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  REQUIRE(r.suite->checks.size() == 3);
  CHECK(r.suite->name == "merged");

  const auto* base = find_check(*r.suite, "base check");
  const auto* common = find_check(*r.suite, "common check");
  const auto* main = find_check(*r.suite, "main check");
  REQUIRE(base);
  REQUIRE(common);
  REQUIRE(main);
  // domain: main.json's wins over common.json's; port: common.json's over base.json's.
  CHECK(base->target.host == "main.example");
  CHECK(common->target.text == "main.example:8443");
  CHECK(main->target.text == "main.example:443");
  // needs may name a check from an included file.
  CHECK(main->needs == std::vector<std::string>{"common check"});
}

TEST_CASE("defaults merge key by key, and per expectation, the includer winning") {
  const auto r = load_fake_file(data_dir() / "include/main.json");
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  const auto* common = find_check(*r.suite, "common check");
  REQUIRE(common);
  CHECK(common->retries == 2);                                  // main.json overrides common.json's 1
  CHECK(common->timeout == std::chrono::seconds(7));            // only common.json sets it
  CHECK(common->options["expect"]["min_days_left"] == 10);      // main.json's expectation
  CHECK(common->options["expect"]["state"] == "open");          // common.json's, kept beside it
  CHECK(common->options["mode"] == "slow");                     // base.json's, two levels down

  // A default only reaches probes that know the key: lookup has no "mode".
  const auto* base = find_check(*r.suite, "base check");
  REQUIRE(base);
  CHECK_FALSE(base->options.contains("mode"));
  CHECK_FALSE(base->options.value("expect", nlohmann::json::object()).contains("state"));
  CHECK(base->retries == 2); // common keys reach every probe
}

TEST_CASE("a file included twice through two paths (a diamond) is merged once") {
  const auto r = load_fake_file(data_dir() / "include/diamond.json");
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  CHECK(r.suite->checks.size() == 3); // left, right, and base check once
  CHECK(find_check(*r.suite, "base check"));
}

TEST_CASE("an include cycle is an error naming the files") {
  const auto r = load_fake_file(data_dir() / "include/cycle_a.json");
  REQUIRE(!r.suite);
  CHECK_MESSAGE(any_error_contains(r, "cycle"), all_errors(r));
  CHECK_MESSAGE(any_error_contains(r, "cycle_a.json"), all_errors(r));
}

TEST_CASE("a check name used in two files is an error at the second") {
  const auto r = load_fake_file(data_dir() / "include/dup_main.json");
  REQUIRE(!r.suite);
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].message.find("\"same\"") != std::string::npos);
}

TEST_CASE("errors inside an included file name that file and its own line") {
  const auto r = load_fake_file(data_dir() / "include/bad_main.json");
  REQUIRE(!r.suite);
  // Both problems at once: the unknown key in the included file, and the missing file.
  REQUIRE_MESSAGE(r.errors.size() == 2, all_errors(r));
  const auto unknown = std::find_if(r.errors.begin(), r.errors.end(),
                                    [](const diagnostic& d) { return d.pointer == "/checks/0/tagz"; });
  REQUIRE_MESSAGE(unknown != r.errors.end(), all_errors(r));
  CHECK(unknown->file.ends_with("bad_inner.json"));
  CHECK(unknown->line == 5);
  CHECK(unknown->suggestion == "did you mean \"tags\"?");
  CHECK_MESSAGE(any_error_contains(r, "does_not_exist.json"), all_errors(r));
}

TEST_CASE("a syntax error in an included file names that file, line and column") {
  const auto r = load_fake_file(data_dir() / "include/syntax_main.json");
  REQUIRE(!r.suite);
  // Only that error: not also "missing checks", which the broken file would have had.
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].file.ends_with("syntax_inner.json"));
  CHECK(r.errors[0].line == 3);
  CHECK(r.errors[0].column == 57);
}

TEST_CASE("a suite with checks only in its includes is fine, with none anywhere it is an error") {
  const auto only = load_fake_file(data_dir() / "include/only_includes.json");
  REQUIRE_MESSAGE(only.suite, all_errors(only));
  CHECK(only.suite->checks.size() == 1);
  CHECK(only.suite->checks[0].target.host == "x.example");

  const auto none = load_fake_file(data_dir() / "include/no_checks_anywhere.json");
  CHECK(!none.suite);
  CHECK_MESSAGE(any_error_contains(none, "checks"), all_errors(none));
}
