#include "core/duration.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using namespace std::chrono_literals;

TEST_CASE("durations parse the units suites use") {
  CHECK(parse_duration("250ms") == duration(250ms));
  CHECK(parse_duration("5s") == duration(5s));
  CHECK(parse_duration("1.5s") == duration(1500ms));
  CHECK(parse_duration("2m") == duration(120s));
  CHECK(parse_duration("1h") == duration(3600s));
}

TEST_CASE("malformed durations are rejected") {
  for (const char* bad : {"", "5", "s", "5 s", "-1s", "5sec", ".5s", "5.s", "1e3s", "9999999h"})
    CHECK_MESSAGE(!parse_duration(bad), bad);
}

TEST_CASE("durations format back to the shortest unit") {
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(5s) == "5s");
  CHECK(format_duration(2min) == "2m");
}
