// defaults and the common check keys: what a check inherits, what it overrides,
// and the values (durations, retries, addresses, family, resolver) checked on both.
#include "suite_loader_fakes.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using test::all_errors;
using test::error_at;
using test::load_fake;

namespace {

std::string suite_text(const std::string& defaults, const std::string& check_extra) {
  return "{\"suite\": \"s\", \"defaults\": " + defaults +
         ", \"checks\": [{\"name\": \"c\", \"probe\": \"alpha\", \"target\": \"a.example:1\"" + check_extra + "}]}";
}

} // namespace

TEST_CASE("a check inherits every default it does not set itself") {
  const auto r = load_fake(suite_text(R"({"timeout": "250ms", "retries": 2, "addresses": "any", "family": "ipv6",
                                     "resolver": "[fd00::53]:5353", "mode": "fast", "expect": {"state": "open"}})",
                                 R"(, "retries": 0, "expect": {"min_days_left": 3})"));
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  const auto& c = r.suite->checks[0];
  CHECK(c.timeout == std::chrono::milliseconds(250));
  CHECK(c.retries == 0); // its own 0 wins over the default 2
  CHECK(c.addresses == address_mode::any);
  CHECK(c.family == address_family::ipv6);
  CHECK(c.resolver.server == "[fd00::53]:5353");
  CHECK(c.options["mode"] == "fast");
  CHECK(c.options["expect"]["state"] == "open");    // the default expectation...
  CHECK(c.options["expect"]["min_days_left"] == 3); // ...beside the check's own
}

TEST_CASE("without defaults: 5 s timeout, no retries, all addresses, any family, system resolver") {
  const auto r = load_fake(suite_text("{}", ""));
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  const auto& c = r.suite->checks[0];
  CHECK(c.timeout == std::chrono::seconds(5));
  CHECK(c.retries == 0);
  CHECK(c.addresses == address_mode::all);
  CHECK(c.family == address_family::any);
  CHECK(c.resolver.server == "system");
}

TEST_CASE("durations are strings with a unit, a bare number is an error with a suggestion") {
  const auto r = load_fake(suite_text(R"({"timeout": 5})", R"(, "interval": "1.5s")"));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  const auto* d = error_at(r, "/defaults/timeout");
  REQUIRE(d);
  CHECK(d->suggestion.find("\"5s\"") != std::string::npos);

  for (const char* bad : {"\"5\"", "\"5 s\"", "\"-1s\"", "\"0s\"", "\"5sec\""}) {
    CAPTURE(bad);
    const auto e = load_fake(suite_text("{}", std::string(", \"timeout\": ") + bad));
    CHECK_MESSAGE(error_at(e, "/checks/0/timeout") != nullptr, all_errors(e));
  }
}

TEST_CASE("common keys are range- and choice-checked in defaults and checks alike") {
  const auto r = load_fake(suite_text(R"({"retries": -1, "addresses": "some"})",
                                 R"(, "family": "ipv66", "resolver": "10.0.0.53:99999")"));
  CHECK_MESSAGE(r.errors.size() == 4, all_errors(r));
  CHECK(error_at(r, "/defaults/retries"));
  const auto* addresses = error_at(r, "/defaults/addresses");
  REQUIRE(addresses);
  CHECK(addresses->message.find("all") != std::string::npos); // names the choices
  const auto* family = error_at(r, "/checks/0/family");
  REQUIRE(family);
  CHECK(family->suggestion == "did you mean \"ipv6\"?");
  CHECK(error_at(r, "/checks/0/resolver"));
}

TEST_CASE("a default no registered probe knows is an unknown key with the nearest") {
  const auto r = load_fake(suite_text(R"({"timout": "1s", "expect": {"san_include": ["x"]}})", ""));
  REQUIRE_MESSAGE(r.errors.size() == 2, all_errors(r));
  const auto* timeout = error_at(r, "/defaults/timout");
  REQUIRE(timeout);
  CHECK(timeout->suggestion == "did you mean \"timeout\"?");
  const auto* san = error_at(r, "/defaults/expect/san_include");
  REQUIRE(san);
  CHECK(san->suggestion == "did you mean \"san_includes\"?");
}

TEST_CASE("a default with the wrong type for the probes that know it is reported at the default") {
  // alpha's "count" is 1-5: the default is checked once, where it is written.
  const auto r = load_fake(suite_text(R"({"count": 9})", ""));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/defaults/count");
}
