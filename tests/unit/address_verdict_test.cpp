#include "run/address_verdict.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {
address_result at(std::string address, status s, reason r = reason::none) {
  address_result a;
  a.address = std::move(address);
  a.port = 443;
  a.outcome.state = s;
  a.outcome.why = r;
  a.outcome.message = "failed at " + a.address;
  return a;
}
} // namespace

TEST_CASE("addresses: all — the worst address decides, and the message counts the failures") {
  auto [v, i] = combine_addresses({at("192.0.2.1", status::pass), at("192.0.2.2", status::fail, reason::tcp_refused),
                                   at("192.0.2.3", status::pass)},
                                  address_mode::all);
  CHECK(v.state == status::fail);
  CHECK(v.why == reason::tcp_refused);
  CHECK(i == 1);
  CHECK(v.message.rfind("1 of 3 addresses failed; 192.0.2.2:443", 0) == 0);
}

TEST_CASE("addresses: any — one passing address is enough, failures make it warn") {
  auto [v, i] = combine_addresses({at("2001:db8::1", status::fail, reason::tcp_timeout), at("192.0.2.2", status::pass)},
                                  address_mode::any);
  CHECK(v.state == status::warn);
  CHECK(v.why == reason::tcp_timeout);
  CHECK(v.message.find("[2001:db8::1]:443") != std::string::npos);
  CHECK(i == 0);
}

TEST_CASE("addresses: any — all failing is a failure") {
  auto [v, i] = combine_addresses({at("192.0.2.1", status::fail, reason::tcp_timeout), at("192.0.2.2", status::error, reason::internal_error)},
                                  address_mode::any);
  CHECK(v.state == status::error);
  CHECK(i == 1);
}
