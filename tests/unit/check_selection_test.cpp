// --only and --tags: what they pick, what they pull in through `needs`, and the
// selections that would check nothing.
#include "core/check_selection.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

suite three_checks() {
  suite s;
  for (const char* name : {"dns", "tls", "other"}) {
    check_spec c;
    c.name = name;
    s.checks.push_back(c);
  }
  s.checks[0].tags = {"edge"};
  s.checks[1].needs = {"dns"};
  s.checks[2].tags = {"rpc"};
  return s;
}

std::vector<std::string> names(const suite& s) {
  std::vector<std::string> out;
  for (const auto& c : s.checks) out.push_back(c.name);
  return out;
}

} // namespace

TEST_SUITE("suite") {

TEST_CASE("selection: --only keeps the named check and what it needs, in suite order, the rest is gone") {
  auto s = three_checks();
  REQUIRE_FALSE(select_checks(s, {.only = {"tls"}}));
  CHECK(names(s) == std::vector<std::string>{"dns", "tls"});
}

TEST_CASE("selection: --tags keeps the tagged checks, no selection keeps everything") {
  auto tagged = three_checks();
  REQUIRE_FALSE(select_checks(tagged, {.tags = {"rpc"}}));
  CHECK(names(tagged) == std::vector<std::string>{"other"});
  auto all = three_checks();
  REQUIRE_FALSE(select_checks(all, {}));
  CHECK(all.checks.size() == 3);
}

TEST_CASE("selection: an --only name the suite lacks is a problem with the nearest name, the suite untouched") {
  auto s = three_checks();
  const auto problem = select_checks(s, {.only = {"tsl"}});
  REQUIRE(problem);
  CHECK(problem->message.find("\"tsl\"") != std::string::npos);
  CHECK(problem->suggestion == "did you mean \"tls\"?");
  CHECK(s.checks.size() == 3);
}

TEST_CASE("selection: tags that match no check are a problem that lists the suite's tags") {
  auto s = three_checks();
  const auto problem = select_checks(s, {.tags = {"sip"}});
  REQUIRE(problem);
  CHECK(problem->message.find("selects no check") != std::string::npos);
  CHECK(problem->suggestion.find("\"edge\"") != std::string::npos);
  CHECK(problem->suggestion.find("\"rpc\"") != std::string::npos);
  // --only and --tags together must both hold: a name without the tag selects nothing.
  auto both = three_checks();
  CHECK(select_checks(both, {.only = {"tls"}, .tags = {"rpc"}}));
}

} // TEST_SUITE
