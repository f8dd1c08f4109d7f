// The UDP exchange helper against the udp responder on loopback. The namespace
// lab cases are in tests/lab/udp_exchange_lab_test.cpp.
#include "net/responder_greeting.hpp"
#include "net/udp_exchange.hpp"
#include "probes/udp/responder.hpp"
#include "support/io_thread.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <unistd.h>

#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;
using udp = net::ip::udp;

namespace {

// The udp responder serving on a thread of its own while the exchange runs on
// the test thread.
struct served_responder {
  explicit served_responder(udp::endpoint bind, udp_responder_options options = {})
      : responder(io.executor(), bind, std::move(options)) {
    responder.start();
  }
  udp::endpoint endpoint() const { return responder.local_endpoint(); }
  std::uint16_t port() const { return responder.local_endpoint().port(); }
  std::size_t received() const { return responder.received(); }

  test::io_thread io; // declared first: outlives the responder it serves
  udp_responder responder;
};

udp_report exchange_now(udp_request request, clock::duration budget) {
  net::io_context io;
  auto done = net::co_spawn(io, udp_exchange(std::move(request), clock::now() + budget), net::use_future);
  io.run();
  return done.get();
}

udp::endpoint loopback(std::uint16_t port, const char* address = "127.0.0.1") {
  return {net::ip::make_address(address), port};
}

// A port nothing listens on: bound, noted, released.
std::uint16_t closed_port(const char* address = "127.0.0.1") {
  net::io_context io;
  udp::socket s(io, loopback(0, address));
  return s.local_endpoint().port();
}

udp_request request_to(udp::endpoint target, std::string payload = "hello") {
  udp_request r;
  r.target = target;
  r.payload.assign(payload.begin(), payload.end());
  r.schedule = retransmission_schedule::fitted(1s, 2);
  return r;
}

std::string_view text(const udp_report& r) {
  return {reinterpret_cast<const char*>(r.answer.data()), r.answer.size()};
}

} // namespace

TEST_SUITE("udp") {

TEST_CASE("udp_exchange: the responder answers with its greeting and the echo") {
  served_responder responder(loopback(0));
  const auto report = exchange_now(request_to(responder.endpoint()), 2s);
  REQUIRE(report.outcome == udp_outcome::answered);
  CHECK(report.answer_from == responder.endpoint());
  CHECK_FALSE(report.from_other_address);
  CHECK_FALSE(report.from_other_port);
  REQUIRE(report.transmissions.size() == 1);
  REQUIRE(report.transmissions[0].rtt);
  CHECK(*report.transmissions[0].rtt < 100ms);
  CHECK(text(report).ends_with("\r\nhello"));
  const auto greeting = parse_greeting(text(report));
  REQUIRE(greeting);
  CHECK(greeting->responder == "udp");
  // What the responder saw is exactly what the exchange reports as its local side.
  CHECK(greeting->you_address == report.local.address().to_string());
  CHECK(greeting->you_port == report.local.port());
  CHECK(report.local.address() == net::ip::make_address("127.0.0.1"));
  CHECK(greeting->me_port == responder.port());
}

TEST_CASE("udp_exchange: an empty datagram is sent as such and answered") {
  served_responder responder(loopback(0));
  const auto report = exchange_now(request_to(responder.endpoint(), ""), 2s);
  REQUIRE(report.outcome == udp_outcome::answered);
  CHECK(text(report).ends_with("\r\n")); // the greeting alone: nothing to echo
  CHECK(responder.received() == 1);
}

TEST_CASE("udp_exchange: the source port asked for is the one the far side sees") {
  served_responder responder(loopback(0));
  auto request = request_to(responder.endpoint());
  request.source_port = closed_port();
  const auto report = exchange_now(request, 2s);
  REQUIRE(report.outcome == udp_outcome::answered);
  const auto greeting = parse_greeting(text(report));
  REQUIRE(greeting);
  CHECK(greeting->you_port == request.source_port);
  CHECK(report.local.port() == request.source_port);
}

TEST_CASE("udp_exchange: a closed port gives ICMP port unreachable from the error queue") {
  const auto target = loopback(closed_port());
  const auto report = exchange_now(request_to(target), 2s);
  REQUIRE(report.outcome == udp_outcome::icmp_error);
  REQUIRE(report.icmp);
  CHECK_FALSE(report.icmp->local);
  CHECK_FALSE(report.icmp->v6);
  CHECK(report.icmp->type == 3);
  CHECK(report.icmp->code == 3);
  CHECK(report.icmp->kind == icmp_kind::port_unreachable);
  CHECK(report.icmp->error_number == ECONNREFUSED);
  REQUIRE(report.icmp->from);
  CHECK(*report.icmp->from == target.address());
  REQUIRE(report.icmp->about);
  CHECK(*report.icmp->about == target); // the original destination, from msg_name
  CHECK(report.transmissions.size() == 1); // ICMP ends the exchange: no retransmission
  CHECK(report.icmp->received - report.started < 100ms);
}

TEST_CASE("udp_exchange: IPv6 port unreachable is ICMPv6 type 1 code 4") {
  const auto target = loopback(closed_port("::1"), "::1");
  const auto report = exchange_now(request_to(target), 2s);
  REQUIRE(report.outcome == udp_outcome::icmp_error);
  REQUIRE(report.icmp);
  CHECK(report.icmp->v6);
  CHECK(report.icmp->type == 1);
  CHECK(report.icmp->code == 4);
  CHECK(report.icmp->kind == icmp_kind::port_unreachable);
  REQUIRE(report.icmp->about);
  CHECK(*report.icmp->about == target);
}

TEST_CASE("udp_exchange: an answer from another address is seen (unconnected socket)") {
  udp_responder_options options;
  options.reply_from = net::ip::make_address("127.0.0.2");
  served_responder responder(loopback(0), options);
  const auto report = exchange_now(request_to(responder.endpoint()), 2s);
  REQUIRE(report.outcome == udp_outcome::answered);
  CHECK(report.answer_from == loopback(responder.port(), "127.0.0.2"));
  CHECK(report.from_other_address);
  CHECK_FALSE(report.from_other_port);
}

TEST_CASE("udp_exchange: silence is retransmitted on the doubling schedule, within the deadline") {
  udp_responder_options options;
  options.silent = true;
  served_responder responder(loopback(0), options);
  auto request = request_to(responder.endpoint());
  request.schedule = retransmission_schedule::fitted(700ms, 3); // sends at 0, 100, 300 ms
  const auto started = clock::now();
  const auto report = exchange_now(request, 700ms);
  const auto elapsed = clock::now() - started;
  CHECK(report.outcome == udp_outcome::silence);
  REQUIRE(report.transmissions.size() == 3);
  const auto gap1 = report.transmissions[1].sent - report.transmissions[0].sent;
  const auto gap2 = report.transmissions[2].sent - report.transmissions[1].sent;
  CHECK(gap1 >= 100ms);
  CHECK(gap1 < 150ms);
  CHECK(gap2 >= 200ms);
  CHECK(gap2 < 250ms);
  for (const auto& t : report.transmissions) CHECK_FALSE(t.rtt);
  CHECK(elapsed >= 700ms);
  CHECK(elapsed <= 800ms);
  CHECK(responder.received() == 3);
}

TEST_CASE("udp_exchange: datagrams the acceptor rejects are counted and ignored") {
  served_responder responder(loopback(0));
  auto request = request_to(responder.endpoint());
  request.accept = [](std::span<const std::uint8_t> bytes, const udp::endpoint&) {
    return bytes.size() > 0 && bytes[0] == 0x01; // a STUN-like check the greeting fails
  };
  request.schedule = retransmission_schedule::fitted(300ms, 2);
  const auto report = exchange_now(request, 300ms);
  CHECK(report.outcome == udp_outcome::silence);
  CHECK(report.transmissions.size() == 2);
  CHECK(report.ignored == 2);
}

TEST_CASE("udp_exchange: a source port already taken is a local bind error") {
  net::io_context io;
  udp::socket holder(io, loopback(0, "0.0.0.0"));
  auto request = request_to(loopback(closed_port()));
  request.source_port = holder.local_endpoint().port();
  const auto report = exchange_now(request, 1s);
  CHECK(report.outcome == udp_outcome::local_error);
  CHECK(report.failed_step == "bind");
  CHECK(report.error == boost::system::errc::address_in_use);
  CHECK(report.transmissions.empty());
}

TEST_CASE("udp_exchange: route_source finds the kernel's source address without sending") {
  net::io_context io;
  const auto v4 = route_source(io.get_executor(), loopback(9));
  REQUIRE(v4);
  CHECK(*v4 == net::ip::make_address("127.0.0.1"));
  const auto pinned = route_source(io.get_executor(), loopback(9), net::ip::make_address("127.0.0.5"));
  REQUIRE(pinned);
  CHECK(*pinned == net::ip::make_address("127.0.0.5"));
}

} // TEST_SUITE

TEST_SUITE("udp") {

TEST_CASE("udp_exchange: the RTT runs to the kernel's arrival stamp, not to when a busy thread read the answer") {
  served_responder responder(loopback(0));
  net::io_context io;
  auto done = net::co_spawn(io, udp_exchange(request_to(responder.endpoint()), clock::now() + 2s), net::use_future);
  // Once the request is out, another handler holds the thread for 150 ms: the
  // answer arrives meanwhile and waits in the socket's buffer.
  net::post(io, [] { std::this_thread::sleep_for(150ms); });
  const auto started = clock::now();
  io.run();
  const auto report = done.get();
  REQUIRE(report.outcome == udp_outcome::answered);
  CHECK(report.arrival_stamped);
  CHECK(clock::now() - started >= 150ms);
  const auto rtt = answer_rtt(report);
  REQUIRE(rtt);
  CHECK(*rtt < 100ms); // read time would say ≥ 150 ms
  REQUIRE(stamped_arrival(report));
  CHECK(*stamped_arrival(report) < started + 100ms);
}

}
