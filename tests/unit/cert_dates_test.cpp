// Days left and how they are said: the numbers every expiry message and
// threshold rests on, at the boundaries.
#include "net/cert_facts.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {
constexpr std::int64_t day = 86400;
constexpr std::time_t now = 1'800'000'000;

std::int64_t left(std::int64_t seconds_to_end) {
  cert_facts c;
  c.not_after = now + seconds_to_end;
  return days_left(c, now);
}
} // namespace

TEST_SUITE("tls") {

TEST_CASE("days_left: whole days rounded down, -1 in the first day after the end") {
  CHECK(left(30 * day + 1) == 30);
  CHECK(left(30 * day) == 30);
  CHECK(left(30 * day - 1) == 29);
  CHECK(left(1) == 0);
  CHECK(left(0) == 0);
  CHECK(left(-1) == -1);
  CHECK(left(-day + 1) == -1);
  CHECK(left(-day) == -2);
  CHECK(left(-5 * day - 3600) == -6);
}

TEST_CASE("relative_days: in N days, or N whole days ago") {
  CHECK(relative_days(left(12 * day + 5)) == "in 12 days");
  CHECK(relative_days(left(day)) == "in 1 day");
  CHECK(relative_days(left(3600)) == "in less than a day");
  CHECK(relative_days(left(-3600)) == "less than a day ago");
  CHECK(relative_days(left(-day - 3600)) == "1 day ago");
  CHECK(relative_days(left(-5 * day)) == "5 days ago");
}

TEST_CASE("utc_text: ISO 8601 in UTC, as the evidence writes dates") {
  CHECK(utc_text(0) == "1970-01-01T00:00:00Z");
  CHECK(utc_text(1'800'000'000) == "2027-01-15T08:00:00Z");
  CHECK(utc_text(253402300799) == "9999-12-31T23:59:59Z");
}

} // TEST_SUITE
