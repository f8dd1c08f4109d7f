// Required keys, unknown keys (with the nearest known key), probes, names, needs.
#include "suite_loader_fakes.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using test::all_errors;
using test::error_at;
using test::load_fake;

namespace {

// One suite around a single check written as JSON text.
load_result one_check(const std::string& check) {
  return load_fake("{\"suite\": \"s\", \"checks\": [" + check + "]}");
}

} // namespace

TEST_CASE("missing required keys are reported at the object that lacks them") {
  SUBCASE("suite and checks") {
    const auto r = load_fake("{\"description\": \"x\"}");
    REQUIRE_MESSAGE(r.errors.size() == 2, all_errors(r));
    CHECK(r.errors[0].pointer.empty());
    CHECK(r.errors[0].message == "missing required key \"suite\"");
    CHECK(r.errors[1].message == "missing required key \"checks\"");
    CHECK(r.errors[0].line == 1);
    CHECK(r.errors[0].column == 1);
  }
  SUBCASE("name, probe and target of a check") {
    const auto r = load_fake("{\"suite\": \"s\", \"checks\": [\n  {\"tags\": []}]}");
    REQUIRE_MESSAGE(r.errors.size() == 3, all_errors(r));
    for (const auto& d : r.errors) {
      CHECK(d.pointer == "/checks/0");
      CHECK(d.line == 2);
      CHECK(d.column == 3);
    }
    CHECK(r.errors[0].message == "missing required key \"probe\"");
    CHECK(r.errors[0].suggestion == "one of: alpha, web, lookup, sip");
    CHECK(r.errors[1].message == "missing required key \"name\"");
    CHECK(r.errors[2].message == "missing required key \"target\"");
  }
}

TEST_CASE("unknown keys are reported at the key, with the nearest known key") {
  SUBCASE("top level") {
    const auto r = load_fake("{\"suite\": \"s\", \"checks\": [],\n \"defualts\": {}}");
    REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
    CHECK(r.errors[0].to_string() == "suite.json:2:2: /defualts: unknown key; did you mean \"defaults\"?");
  }
  SUBCASE("check") {
    const auto r = one_check(R"({"name": "a", "probe": "alpha", "target": "a.example:1", "tagz": ["x"]})");
    REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
    CHECK(r.errors[0].pointer == "/checks/0/tagz");
    CHECK(r.errors[0].message == "unknown key");
    CHECK(r.errors[0].suggestion == "did you mean \"tags\"?");
    CHECK(r.errors[0].column == 84);
  }
  SUBCASE("expect, exactly as the contract shows it") {
    const auto r = load_fake("{\"suite\": \"s\", \"checks\": [\n"
                             "  {\"name\": \"a\", \"probe\": \"alpha\", \"target\": \"a.example:1\"},\n"
                             "  {\"name\": \"b\", \"probe\": \"alpha\", \"target\": \"a.example:1\"},\n"
                             "  {\"name\": \"c\", \"probe\": \"alpha\", \"target\": \"a.example:1\",\n"
                             "   \"expect\": {\"san_include\": [\"x\"]}}]}");
    REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
    CHECK(r.errors[0].to_string() ==
          "suite.json:5:15: /checks/2/expect/san_include: unknown key; did you mean \"san_includes\"?");
  }
  SUBCASE("defaults, and defaults.expect") {
    const auto r = load_fake(R"({"suite": "s", "checks": [],
      "defaults": {"timout": "5s", "expect": {"min_day_left": 3}, "nonsense_key_here": 1}})");
    REQUIRE_MESSAGE(r.errors.size() == 3, all_errors(r));
    CHECK(error_at(r, "/defaults/timout")->suggestion == "did you mean \"timeout\"?");
    CHECK(error_at(r, "/defaults/expect/min_day_left")->suggestion == "did you mean \"min_days_left\"?");
    CHECK(error_at(r, "/defaults/nonsense_key_here")->message == "unknown key");
    CHECK(error_at(r, "/defaults/nonsense_key_here")->suggestion.empty());
  }
  SUBCASE("an expectation written next to the options is pointed into expect") {
    const auto r = one_check(R"({"name": "a", "probe": "alpha", "target": "a.example:1", "san_includes": []})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].suggestion == "it is an expectation: move it into \"expect\"");
  }
  SUBCASE("another probe's option says whose it is") {
    const auto r = one_check(R"({"name": "a", "probe": "alpha", "target": "a.example:1", "method": "GET"})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].suggestion == "it is an option of the web probe");
  }
  SUBCASE("with nothing near, the probe's options are listed") {
    const auto r = one_check(R"({"name": "a", "probe": "lookup", "target": "a.example", "zzzzzzzz": 1})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].suggestion == "the lookup probe's options are record");
  }
}

TEST_CASE("keys that cannot be defaults") {
  const auto r = load_fake(R"({"suite": "s", "checks": [], "defaults": {"name": "x", "probe": "alpha", "target": "a:1", "needs": []}})");
  REQUIRE_MESSAGE(r.errors.size() == 4, all_errors(r));
  for (const char* key : {"name", "probe", "target", "needs"}) {
    const auto* d = error_at(r, std::string("/defaults/") + key);
    REQUIRE_MESSAGE(d, key);
    CHECK(d->message == "cannot be a default");
  }
}

TEST_CASE("probe names are checked against the registry") {
  SUBCASE("a near miss") {
    const auto r = one_check(R"({"name": "a", "probe": "alpah", "target": "a.example:1"})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].pointer == "/checks/0/probe");
    CHECK(r.errors[0].message == "unknown probe \"alpah\"");
    CHECK(r.errors[0].suggestion == "did you mean \"alpha\"?");
  }
  SUBCASE("nothing near lists them") {
    const auto r = one_check(R"({"name": "a", "probe": "sqlbrowser", "target": "a.example:1", "whatever": 1})");
    REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r)); // the probe's keys cannot be judged without it
    CHECK(r.errors[0].suggestion == "known probes: alpha, web, lookup, sip");
  }
  SUBCASE("not a string") {
    const auto r = one_check(R"({"name": "a", "probe": 7, "target": "a.example:1"})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "must be a string: one of alpha, web, lookup, sip");
  }
}

TEST_CASE("check names are unique") {
  const auto r = load_fake(R"({"suite": "s", "checks": [
    {"name": "dup", "probe": "alpha", "target": "a.example:1"},
    {"name": "other", "probe": "alpha", "target": "a.example:1"},
    {"name": "dup", "probe": "lookup", "target": "a.example"}]})");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/2/name");
  CHECK(r.errors[0].message == "another check is already named \"dup\" (/checks/0)");
  CHECK(r.errors[0].line == 4);
}

TEST_CASE("needs must name checks, without cycles") {
  SUBCASE("unknown, with the nearest name") {
    const auto r = load_fake(R"({"suite": "s", "checks": [
      {"name": "edge resolves", "probe": "lookup", "target": "a.example"},
      {"name": "edge answers", "probe": "alpha", "target": "a.example:1", "needs": ["edge resolve", "zzz"]}]})");
    REQUIRE_MESSAGE(r.errors.size() == 2, all_errors(r));
    CHECK(error_at(r, "/checks/1/needs/0")->message == "no check is named \"edge resolve\"");
    CHECK(error_at(r, "/checks/1/needs/0")->suggestion == "did you mean \"edge resolves\"?");
    CHECK(error_at(r, "/checks/1/needs/1")->suggestion.empty());
  }
  SUBCASE("a cycle through three checks is reported once with its path") {
    const auto r = load_fake(R"({"suite": "s", "checks": [
      {"name": "a", "probe": "lookup", "target": "a.example", "needs": ["b"]},
      {"name": "b", "probe": "lookup", "target": "a.example", "needs": ["c"]},
      {"name": "c", "probe": "lookup", "target": "a.example", "needs": ["a"]},
      {"name": "d", "probe": "lookup", "target": "a.example", "needs": ["a"]}]})");
    REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
    CHECK(r.errors[0].pointer == "/checks/2/needs/0");
    CHECK(r.errors[0].message == "needs cycle: \"a\" -> \"b\" -> \"c\" -> \"a\"");
  }
  SUBCASE("a check needing itself") {
    const auto r = one_check(R"({"name": "a", "probe": "lookup", "target": "a.example", "needs": ["a"]})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == "needs cycle: \"a\" -> \"a\"");
  }
}

TEST_CASE("a suite with three mistakes reports all three, in file order") {
  const auto r = load_fake(R"({
  "suite": "three",
  "checks": [
    {"name": "one", "probe": "alpha", "target": "one.example:1", "timeout": 5},
    {"name": "two", "probe": "alpha", "target": "two.example:1", "expect": {"stat": "open"}},
    {"name": "three", "probe": "alpha", "target": "three.example", "needs": ["one"]}
  ]
})");
  REQUIRE_MESSAGE(r.errors.size() == 3, all_errors(r));
  CHECK_FALSE(r.suite);
  CHECK(r.errors[0].pointer == "/checks/0/timeout");
  CHECK(r.errors[0].line == 4);
  CHECK(r.errors[0].suggestion == "write \"5s\"");
  CHECK(r.errors[1].pointer == "/checks/1/expect/stat");
  CHECK(r.errors[1].line == 5);
  CHECK(r.errors[1].suggestion == "did you mean \"state\"?");
  CHECK(r.errors[2].pointer == "/checks/2/target");
  CHECK(r.errors[2].line == 6);
  CHECK(r.errors[2].suggestion == "add the port: \"three.example:PORT\"");
}

TEST_CASE("a probe's own semantic errors come at the check's pointer") {
  const auto r = load_fake(R"({"suite": "s", "checks": [
    {"name": "ok", "probe": "sip", "target": "a.example", "min": 1, "max": 5},
    {"name": "bad", "probe": "sip", "target": "a.example", "min": 5, "max": 1}]})");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/1/max");
  CHECK(r.errors[0].message == "must not be below min (5)");
  CHECK(r.errors[0].suggestion == "raise max or lower min");
  CHECK(r.errors[0].line == 3);
}

TEST_CASE("configure() only sees options whose types are right") {
  // The fake sip probe reads min and max as integers; given a string it would throw.
  const auto r = load_fake(R"({"suite": "s", "checks": [
    {"name": "bad", "probe": "sip", "target": "a.example", "min": "five", "max": 1}]})");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/0/min");
  CHECK(r.errors[0].message == "must be an integer, not \"five\"");
}
