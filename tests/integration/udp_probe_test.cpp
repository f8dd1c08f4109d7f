// The udp probe end to end (suite check → runner → probe → udp_exchange) against
// the udp responder and closed ports on loopback. The routed namespace lab cases
// are in tests/lab/udp_probe_lab_test.cpp.
#include "probes/udp/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/udp_checks.hpp"

#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include <unistd.h>

#include <optional>
#include <string>

using namespace edgeprobe;
using json = nlohmann::json;
using udp = net::ip::udp;
using test::details_of;
using test::udp_check;

namespace {

std::string hex_of(std::string_view text) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : text) out += {digits[c >> 4], digits[c & 0xF]};
  return out;
}

// A loopback port nothing listens on: bound, noted, released.
std::uint16_t closed_port() {
  net::io_context io;
  udp::socket s(io, udp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return s.local_endpoint().port();
}

} // namespace

TEST_SUITE("udp") {

TEST_CASE("udp probe: the responder answers: open, with the address it saw as evidence") {
  test::io_thread io;
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  responder.start();
  const auto port = responder.local_endpoint().port();

  const auto r = test::run_check(udp_check("127.0.0.1:" + std::to_string(port)));
  CHECK(r.outcome.state == status::pass);
  CHECK(r.outcome.why == reason::none);
  const auto& d = details_of(r);
  CHECK(d["state"] == "open");
  CHECK(d["reply_from"] == "127.0.0.1:" + std::to_string(port));
  CHECK(d["reply_from_other_address"] == false);
  CHECK(d["reply_hex"].get<std::string>().starts_with(hex_of("EDGEPROBE-RESPONDER/1 probe=udp you=127.0.0.1:")));
  CHECK(d["reply_text"].get<std::string>().ends_with("\r\nping"));
  REQUIRE(d["transmissions"].size() == 1);
  CHECK(d["transmissions"][0]["rtt_ms"].get<double>() < 100.0);
  // The responder saw exactly the address and port this side sent from.
  CHECK(d["responder"]["saw"]["address"] == "127.0.0.1");
  CHECK(d["responder"]["saw"]["port"] == d["local"]["port"]);
  CHECK(d["responder"]["me"]["port"] == port);
  CHECK(d["responder"]["translated"] == false);
  CHECK(responder.received() == 1);
}

TEST_CASE("udp probe: a given source_port is the one used and seen") {
  test::io_thread io;
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  responder.start();
  const auto source = closed_port();
  const auto r = test::run_check(udp_check("127.0.0.1:" + std::to_string(responder.local_endpoint().port()),
                                           {{"source_port", source}, {"responder", true}}));
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["local"]["port"] == source);
  CHECK(d["responder"]["saw"]["port"] == source);
}

TEST_CASE("udp probe: a closed port is ICMP port unreachable, with type and code") {
  const auto port = closed_port();
  const auto target = "127.0.0.1:" + std::to_string(port);

  SUBCASE("expected open: fails with udp.port_unreachable") {
    const auto r = test::run_check(udp_check(target));
    CHECK(r.outcome.state == status::fail);
    CHECK(r.outcome.why == reason::udp_port_unreachable);
    const auto& d = details_of(r);
    CHECK(d["state"] == "closed");
    CHECK(d["icmp"]["type"] == 3);
    CHECK(d["icmp"]["code"] == 3);
    CHECK(d["icmp"]["from"] == "127.0.0.1");
    CHECK(d["icmp"]["about"] == target);
    CHECK(d["transmissions"].size() == 1); // the ICMP error ends it: no retransmission
    CHECK(r.duration_ms < 500.0);
  }
  SUBCASE("expected closed or not_open: passes") {
    const auto closed = test::run_check(udp_check(target, {{"expect", {{"state", "closed"}}}}));
    CHECK(closed.outcome.state == status::pass);
    CHECK(closed.outcome.why == reason::udp_port_unreachable); // the evidence, on a pass
    CHECK(closed.outcome.hint.empty());
    CHECK(test::run_check(udp_check(target, {{"expect", {{"state", "not_open"}}}})).outcome.state == status::pass);
  }
  SUBCASE("expected filtered: fails, port unreachable is an answer from the host") {
    const auto r = test::run_check(udp_check(target, {{"expect", {{"state", "filtered"}}}}));
    CHECK(r.outcome.state == status::fail);
    CHECK(r.outcome.why == reason::udp_port_unreachable);
  }
}

TEST_CASE("udp probe: IPv6 port unreachable is ICMPv6 type 1 code 4") {
  net::io_context scratch;
  udp::socket s(scratch, udp::endpoint(net::ip::make_address("::1"), 0));
  const auto port = s.local_endpoint().port();
  s.close();
  const auto r = test::run_check(udp_check("[::1]:" + std::to_string(port)));
  CHECK(r.outcome.why == reason::udp_port_unreachable);
  const auto& d = details_of(r);
  CHECK(d["icmp"]["type"] == 1);
  CHECK(d["icmp"]["code"] == 4);
}

TEST_CASE("udp probe: expect.reply judges the answer's bytes") {
  test::io_thread io;
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  responder.start();
  const auto target = "127.0.0.1:" + std::to_string(responder.local_endpoint().port());

  SUBCASE("a regex that does not match: udp.reply_mismatch") {
    const auto r = test::run_check(udp_check(target, {{"expect", {{"reply", "^SSH-2\\.0"}}}}));
    CHECK(r.outcome.state == status::fail);
    CHECK(r.outcome.why == reason::udp_reply_mismatch);
    CHECK(details_of(r)["state"] == "open");
  }
  SUBCASE("a regex that matches") {
    const auto r = test::run_check(udp_check(target, {{"expect", {{"reply", "probe=udp .*\\r\\nping$"}}}}));
    CHECK(r.outcome.state == status::pass);
  }
  SUBCASE("a hex prefix") {
    const auto good = test::run_check(udp_check(target, {{"expect", {{"reply", {{"hex", hex_of("EDGEPROBE")}}}}}}));
    CHECK(good.outcome.state == status::pass);
    const auto bad = test::run_check(udp_check(target, {{"expect", {{"reply", {{"hex", "00 01 02"}}}}}}));
    CHECK(bad.outcome.why == reason::udp_reply_mismatch);
  }
  SUBCASE("an answer where none may come: udp.unexpectedly_open") {
    const auto r = test::run_check(udp_check(target, {{"expect", {{"state", "not_open"}}}}));
    CHECK(r.outcome.state == status::fail);
    CHECK(r.outcome.why == reason::udp_unexpectedly_open);
  }
}

TEST_CASE("udp probe: an answer from another address is seen and attributed to it") {
  test::io_thread io;
  udp_responder_options options;
  options.reply_from = net::ip::make_address("127.0.0.2");
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0), options);
  responder.start();
  const auto port = std::to_string(responder.local_endpoint().port());

  const auto r = test::run_check(udp_check("127.0.0.1:" + port));
  CHECK(r.outcome.state == status::warn);
  CHECK(r.outcome.why == reason::path_address_translated);
  const auto& d = details_of(r);
  CHECK(d["state"] == "open");
  CHECK(d["reply_from"] == "127.0.0.2:" + port);
  CHECK(d["reply_from_other_address"] == true);
  CHECK(d["reply_from_other_port"] == false);
  CHECK(d["responder"]["translated"] == false); // the request itself went through untouched

  const auto strict = test::run_check(udp_check("127.0.0.1:" + port, {{"expect", {{"no_translation", true}}}}));
  CHECK(strict.outcome.state == status::fail);
  CHECK(strict.outcome.why == reason::path_address_translated);
}

TEST_CASE("udp probe: an answer from another port of the address asked is attributed to that port") {
  test::io_thread io;
  udp_responder_options options;
  options.reply_from_port = closed_port();
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0), options);
  responder.start();

  const auto r = test::run_check(udp_check("127.0.0.1:" + std::to_string(responder.local_endpoint().port())));
  CHECK(r.outcome.state == status::warn);
  CHECK(r.outcome.why == reason::path_address_translated);
  CHECK(details_of(r)["reply_from"] == "127.0.0.1:" + std::to_string(options.reply_from_port));
  CHECK(details_of(r)["reply_from_other_address"] == false);
  CHECK(details_of(r)["reply_from_other_port"] == true);
}

TEST_CASE("udp probe: a service that ignores the bytes is silence: udp.no_response") {
  test::io_thread io;
  udp_responder_options options;
  options.silent = true;
  udp_responder responder(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0), options);
  responder.start();
  const auto r = test::run_check(
      udp_check("127.0.0.1:" + std::to_string(responder.local_endpoint().port()), {{"timeout", "400ms"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(r.outcome.why == reason::udp_no_response);
  CHECK(details_of(r)["state"] == "filtered");
  CHECK(details_of(r)["transmissions"].size() == 3); // retransmissions default to 2
  CHECK(responder.received() == 3);
}

} // TEST_SUITE
