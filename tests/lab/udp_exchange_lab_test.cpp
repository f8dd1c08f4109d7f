// The UDP exchange helper against nftables rules inside a network namespace of
// the test's own: ICMP errors with their type, code and reporter; silence.
#include "net/icmp_errors.hpp"
#include "net/udp_exchange.hpp"
#include "support/netns.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <unistd.h>

#include <cerrno>

using namespace edgeprobe;
using namespace std::chrono_literals;
using udp = net::ip::udp;

namespace {

udp_report exchange_now(udp_request request, clock::duration budget) {
  net::io_context io;
  auto done = net::co_spawn(io, udp_exchange(std::move(request), clock::now() + budget), net::use_future);
  io.run();
  return done.get();
}

udp::endpoint loopback(std::uint16_t port) { return {net::ip::make_address("127.0.0.1"), port}; }

udp_request request_to(udp::endpoint target) {
  udp_request r;
  r.target = target;
  r.payload = {'h', 'e', 'l', 'l', 'o'};
  r.schedule = retransmission_schedule::fitted(1s, 2);
  return r;
}

} // namespace

TEST_SUITE("netns") {

TEST_CASE("udp_exchange: ICMP errors from a filtering rule carry type, code and reporter") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  test::netns ns("udp-x");
  ns.nft(R"(table inet filter {
  chain input {
    type filter hook input priority 0;
    udp dport 7001 reject with icmp type host-unreachable
    udp dport 7002 reject with icmp type admin-prohibited
    udp dport 7003 drop
  }
})");
  const auto inside = ns.enter();

  SUBCASE("host unreachable") {
    const auto report = exchange_now(request_to(loopback(7001)), 1s);
    REQUIRE(report.outcome == udp_outcome::icmp_error);
    REQUIRE(report.icmp);
    CHECK(report.icmp->type == 3);
    CHECK(report.icmp->code == 1);
    CHECK(report.icmp->kind == icmp_kind::host_unreachable);
    CHECK(report.icmp->error_number == EHOSTUNREACH);
    REQUIRE(report.icmp->from);
    CHECK(*report.icmp->from == net::ip::make_address("127.0.0.1"));
  }
  SUBCASE("administratively prohibited") {
    const auto report = exchange_now(request_to(loopback(7002)), 1s);
    REQUIRE(report.outcome == udp_outcome::icmp_error);
    REQUIRE(report.icmp);
    CHECK(report.icmp->type == 3);
    CHECK(report.icmp->code == 13);
    CHECK(report.icmp->kind == icmp_kind::admin_prohibited);
  }
  SUBCASE("dropped: silence, every transmission sent") {
    auto request = request_to(loopback(7003));
    request.schedule = retransmission_schedule::fitted(300ms, 2);
    const auto report = exchange_now(request, 300ms);
    CHECK(report.outcome == udp_outcome::silence);
    CHECK(report.transmissions.size() == 2);
    CHECK_FALSE(report.icmp);
  }
}

} // TEST_SUITE
