// The reference DNS responder, asked by dig (an independent client) and by the
// dns probe; its SERVFAIL name is where dns.servfail is shown.
#include "probes/dns/responder.hpp"
#include "support/check_runner.hpp"
#include "support/unbound_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

using namespace edgeprobe;

namespace {

// The responder on its own io thread, so blocking dig and run_check can talk to it.
struct running_responder {
  boost::asio::io_context io;
  dns_responder responder{io.get_executor(), boost::asio::ip::make_address("127.0.0.1"), 0,
                          demo_zone({boost::asio::ip::make_address("0.0.0.0")})};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;

  running_responder() {
    responder.start();
    thread = std::thread([this] { io.run(); });
  }
  ~running_responder() {
    boost::asio::post(io, [this] { responder.stop(); });
    work.reset();
    io.stop();
    thread.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(responder.port()); }
};

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

TEST_SUITE("dns") {

TEST_CASE("responder: dig sees the demo zone over udp and tcp") {
  running_responder r;
  const auto port = r.responder.port();
  for (bool tcp : {false, true}) {
    CAPTURE(tcp);
    CHECK(sorted(test::dig_short(port, "demo.edgeprobe.test", "A", tcp)) ==
          std::vector<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3"});
    CHECK(test::dig_short(port, "demo.edgeprobe.test", "AAAA", tcp).empty()); // 0.0.0.0 serves no IPv6
    CHECK(test::dig_short(port, "www.demo.edgeprobe.test", "CNAME", tcp) ==
          std::vector<std::string>{"demo.edgeprobe.test."});
    CHECK(test::dig_short(port, "_sip._tls.demo.edgeprobe.test", "SRV", tcp) ==
          std::vector<std::string>{"0 0 443 sip.demo.edgeprobe.test."});
    CHECK(test::dig_short(port, "demo.edgeprobe.test", "TXT", tcp) == std::vector<std::string>{"\"v=spf1 -all\""});
  }
  // A CNAME is followed inside the zone.
  CHECK(sorted(test::dig_short(port, "www.demo.edgeprobe.test", "A")) ==
        std::vector<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3", "demo.edgeprobe.test."});
}

TEST_CASE("responder: NXDOMAIN, REFUSED and SERVFAIL through the dns probe") {
  running_responder r;
  auto check = [&](const std::string& name) {
    return test::run_check({{"probe", "dns"}, {"target", name}, {"resolver", r.address()}, {"timeout", "2s"}});
  };
  auto ok = check("demo.edgeprobe.test");
  CHECK(ok.outcome.state == status::pass);
  CHECK(ok.outcome.details.at("answers").size() == 3);
  CHECK(ok.outcome.details.at("queries").at(0).at("authoritative") == true);

  auto missing = check("nothing.demo.edgeprobe.test");
  CHECK(missing.outcome.why == reason::dns_nxdomain);
  auto outside = check("example.org");
  CHECK(outside.outcome.why == reason::dns_refused);
  auto broken = check("broken.demo.edgeprobe.test");
  CHECK(broken.outcome.state == status::fail);
  CHECK(broken.outcome.why == reason::dns_servfail);
  CHECK(broken.outcome.details.at("rcode") == "SERVFAIL");
}

TEST_CASE("responder: every address in the zone is one the responders listen on, never one off the machine") {
  namespace ip = boost::asio::ip;
  auto addresses_in = [](const dns_zone& zone) {
    std::vector<ip::address> out;
    for (const auto& r : zone.records) {
      if (const auto* v4 = std::get_if<ip::address_v4>(&r.data)) out.push_back(*v4);
      if (const auto* v6 = std::get_if<ip::address_v6>(&r.data)) out.push_back(*v6);
    }
    return out;
  };
  const auto specific = addresses_in(demo_zone({ip::make_address("10.1.2.3")}));
  REQUIRE(!specific.empty());
  for (const auto& a : specific) CHECK(a == ip::make_address("10.1.2.3"));
  for (const auto& a : addresses_in(demo_zone({ip::make_address("0.0.0.0")}))) CHECK(a.is_loopback());
  const auto v6 = addresses_in(demo_zone({ip::make_address("::")}));
  REQUIRE(!v6.empty());
  for (const auto& a : v6) CHECK(a == ip::make_address("::1"));
}

TEST_CASE("responder: answer_query ignores what is not a query") {
  const auto zone = demo_zone({boost::asio::ip::make_address("127.0.0.1")});
  const auto query = dns::build_query(7, "demo.edgeprobe.test", dns::type::a, true);
  REQUIRE(query);
  auto reply = answer_query(zone, *query);
  REQUIRE(reply);
  CHECK(!answer_query(zone, *reply)); // a response is never answered (no reflection loops)
  CHECK(!answer_query(zone, std::span(query->data(), 5)));
}

} // TEST_SUITE
