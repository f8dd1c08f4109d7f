#include "serve/rate_limiter.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {
boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }
} // namespace

TEST_SUITE("serve") {

TEST_CASE("a client gets its burst, then one request per 1/rate seconds, clients are apart") {
  rate_limiter limiter(2.0, 3.0);
  const auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 3; ++i) CHECK(limiter.allow(ip("127.0.0.1"), t0));
  CHECK_FALSE(limiter.allow(ip("127.0.0.1"), t0));
  CHECK(limiter.retry_after_seconds(ip("127.0.0.1"), t0) == 1);
  CHECK(limiter.allow(ip("127.0.0.2"), t0)); // another client has its own bucket
  CHECK_FALSE(limiter.allow(ip("127.0.0.1"), t0 + 400ms)); // 0.8 of a token
  CHECK(limiter.allow(ip("127.0.0.1"), t0 + 500ms));
  CHECK_FALSE(limiter.allow(ip("127.0.0.1"), t0 + 500ms));
  // Refilling stops at the burst.
  const auto later = t0 + 1h;
  for (int i = 0; i < 3; ++i) CHECK(limiter.allow(ip("127.0.0.1"), later));
  CHECK_FALSE(limiter.allow(ip("127.0.0.1"), later));
}

TEST_CASE("Retry-After is the time to the next token, rounded up") {
  rate_limiter limiter(0.1, 1.0);
  const auto t0 = rate_limiter::clock::now();
  CHECK(limiter.allow(ip("::1"), t0));
  CHECK_FALSE(limiter.allow(ip("::1"), t0));
  CHECK(limiter.retry_after_seconds(ip("::1"), t0) == 10);
  CHECK(limiter.retry_after_seconds(ip("::1"), t0 + 2500ms) == 8);
}

TEST_CASE("the client table stays bounded under a flood of addresses, and a limited client stays limited") {
  rate_limiter limiter(1.0, 2.0, 100);
  const auto t0 = rate_limiter::clock::now();
  CHECK(limiter.allow(ip("10.0.0.1"), t0));
  CHECK(limiter.allow(ip("10.0.0.1"), t0));
  CHECK_FALSE(limiter.allow(ip("10.0.0.1"), t0));
  for (int i = 0; i < 10000; ++i) {
    const boost::asio::ip::address_v4 a(0x0B000000u + static_cast<unsigned>(i));
    limiter.allow(a, t0);
    CHECK(limiter.clients() <= 100);
  }
  CHECK_FALSE(limiter.allow(ip("10.0.0.1"), t0));
}

} // TEST_SUITE
