#include "core/clock.hpp"
#include "core/duration.hpp"

#include <doctest/doctest.h>

#include <cstdio>

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

TEST_CASE("milliseconds in messages: two decimals below 10 ms, none above, as printf rounds") {
  CHECK(ms_text(0.0) == "0.00 ms");
  CHECK(ms_text(0.004) == "0.00 ms");
  CHECK(ms_text(0.4251) == "0.43 ms");
  CHECK(ms_text(3.1) == "3.10 ms");
  CHECK(ms_text(9.994) == "9.99 ms");
  CHECK(ms_text(10.0) == "10 ms");
  CHECK(ms_text(2017.4) == "2017 ms");
  CHECK(ms_text(2017.6) == "2018 ms");
  CHECK(ms_text(1e300) == "over 10^40 ms");
  CHECK(ms_text(std::chrono::microseconds(1500)) == "1.50 ms");
  for (const double ms : {0.005, 0.015, 0.125, 1.005, 12.5, 13.5, 99.5, 123456.5}) {
    char printed[64];
    std::snprintf(printed, sizeof printed, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
    CHECK(ms_text(ms) == printed);
  }
}
