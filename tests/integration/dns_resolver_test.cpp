// The c-ares resolver against a real unbound on loopback, cross-checked with dig.
#include "net/resolver.hpp"
#include "support/check_runner.hpp"
#include "support/run_coro.hpp"
#include "support/unbound_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

host_lookup lookup(const resolver_spec& spec, std::string host, address_family family,
                   clock::duration budget = 3s) {
  return test::run_coro<host_lookup>([&](net::any_io_executor ex) -> net::awaitable<host_lookup> {
    resolver r(ex, spec);
    co_return co_await r.lookup_host(host, family, clock::now() + budget);
  });
}

std::vector<std::string> texts(const std::vector<net::ip::address>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) out.push_back(a.to_string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

TEST_SUITE("dns") {

TEST_CASE("resolver: A records of one name, over udp and tcp, match dig") {
  test::unbound_server unbound;
  const auto expected = sorted(test::dig_short(unbound.port(), "multi.lab.test", "A"));
  REQUIRE(expected == std::vector<std::string>{"127.0.0.11", "127.0.0.12", "127.0.0.13"});
  for (bool tcp : {false, true}) {
    CAPTURE(tcp);
    const auto got = lookup({unbound.address(), tcp, true}, "multi.lab.test", address_family::ipv4);
    CHECK(got.why == reason::none);
    CHECK(texts(got.addresses) == expected);
    CHECK(got.resolver_used == unbound.address() + (tcp ? " over tcp" : ""));
  }
}

TEST_CASE("resolver: A and AAAA together, a CNAME chain, IPv6 only") {
  test::unbound_server unbound;
  auto dual = lookup({unbound.address()}, "dual.lab.test", address_family::any);
  CHECK(texts(dual.addresses) == std::vector<std::string>{"127.0.0.21", "fd00::21"});
  CHECK(dual.addresses.front().is_v4()); // A first: the order the runner tries them in

  auto chained = lookup({unbound.address()}, "alias.lab.test", address_family::ipv4);
  CHECK(texts(chained.addresses) == std::vector<std::string>{"127.0.0.11", "127.0.0.12", "127.0.0.13"});

  auto v6 = lookup({unbound.address()}, "v6only.lab.test", address_family::ipv6);
  CHECK(texts(v6.addresses) == sorted(test::dig_short(unbound.port(), "v6only.lab.test", "AAAA")));
}

TEST_CASE("resolver: failures are reasons") {
  test::unbound_server unbound;
  SUBCASE("NXDOMAIN") {
    REQUIRE(test::dig_short(unbound.port(), "nope.lab.test", "A").empty());
    auto r = lookup({unbound.address()}, "nope.lab.test", address_family::any);
    CHECK(r.addresses.empty());
    CHECK(r.why == reason::dns_nxdomain);
    CHECK(r.message.find("nope.lab.test") != std::string::npos);
  }
  SUBCASE("only AAAA, asked for IPv4") {
    auto r = lookup({unbound.address()}, "v6only.lab.test", address_family::ipv4);
    CHECK(r.why == reason::dns_no_address);
    CHECK(r.message.find("IPv4") != std::string::npos);
  }
  SUBCASE("REFUSED") {
    auto r = lookup({unbound.address()}, "x.refused.test", address_family::any);
    CHECK(r.why == reason::dns_refused);
  }
  SUBCASE("an IP literal needs no query") {
    auto r = lookup({"127.0.0.1:9"}, "192.0.2.7", address_family::any, 10ms);
    CHECK(r.why == reason::none);
    CHECK(texts(r.addresses) == std::vector<std::string>{"192.0.2.7"});
  }
}

TEST_CASE("resolver: a server that never answers ends at the deadline with dns.timeout") {
  net::io_context io;
  net::ip::udp::socket silent(io, {net::ip::make_address("127.0.0.1"), 0}); // bound, never read
  const std::string server = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  const auto started = clock::now();
  auto r = lookup({server}, "multi.lab.test", address_family::any, 600ms);
  const auto took = clock::now() - started;
  CHECK(r.why == reason::dns_timeout);
  CHECK(r.resolver_used == server);
  CHECK(took >= 590ms);
  CHECK(took < 1200ms);
}

TEST_CASE("resolver: a lookup is cancellable by the || operator") {
  net::io_context io;
  net::ip::udp::socket silent(io, {net::ip::make_address("127.0.0.1"), 0});
  const std::string server = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  const auto started = clock::now();
  const bool lookup_won = test::run_coro<bool>([&](net::any_io_executor ex) -> net::awaitable<bool> {
    using namespace net::experimental::awaitable_operators;
    resolver r(ex, {server});
    net::steady_timer stop(ex, 200ms);
    auto winner = co_await (r.lookup_host("multi.lab.test", address_family::any, clock::now() + 30s) ||
                            stop.async_wait(net::as_tuple(net::use_awaitable)));
    co_return winner.index() == 0;
  });
  CHECK(!lookup_won);
  CHECK(clock::now() - started < 1s);
}

TEST_CASE("resolver: query() returns the raw answer and the server that sent it") {
  test::unbound_server unbound;
  auto answer = test::run_coro<dns_answer>([&](net::any_io_executor ex) -> net::awaitable<dns_answer> {
    resolver r(ex, {unbound.address()});
    co_return co_await r.query("_sip._tls.lab.test", 33, clock::now() + 3s);
  });
  CHECK(answer.why == reason::none);
  CHECK(answer.server_address == unbound.address());
  REQUIRE(answer.response.size() > 12);
  CHECK((answer.response[3] & 0x0F) == 0); // NOERROR
  CHECK((answer.response[6] << 8 | answer.response[7]) == 2); // two SRV answers
}

TEST_CASE("runner: a tcp check's host name is resolved through the check's resolver") {
  test::unbound_server unbound;
  auto result = test::run_check({{"probe", "tcp"}, {"target", "multi.lab.test:9"}, {"resolver", unbound.address()},
                                 {"timeout", "2s"}});
  const auto& dns = result.outcome.details.at("dns");
  CHECK(dns.at("resolver") == unbound.address());
  CHECK(sorted(dns.at("addresses").get<std::vector<std::string>>()) ==
        std::vector<std::string>{"127.0.0.11", "127.0.0.12", "127.0.0.13"});
  REQUIRE(result.addresses.size() == 3);

  auto missing = test::run_check({{"probe", "tcp"}, {"target", "nope.lab.test:9"}, {"resolver", unbound.address()},
                                  {"timeout", "2s"}});
  CHECK(missing.outcome.state == status::fail);
  CHECK(missing.outcome.why == reason::dns_nxdomain);
  CHECK(missing.addresses.empty());
}

} // TEST_SUITE
