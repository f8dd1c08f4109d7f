// The turn probe through a routed lab (client — router — server) whose router
// drops UDP 3478-style traffic: the field engineer's "is UDP 3478 open?" story.
#include "probes/stun/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/netns.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <optional>

using namespace edgeprobe;
using test::details_of;

TEST_SUITE("netns") {

TEST_CASE("turn probe: UDP to the relay dropped by a router: turn.no_response at the deadline, 3 transmissions") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  test::routed_lab lab;
  test::io_thread io;
  std::optional<stun_responder> responder;
  {
    const auto inside = lab.server.enter();
    responder.emplace(io.executor(), net::ip::udp::endpoint(net::ip::make_address(test::routed_lab::server_v4), 0));
    responder->start();
  }
  const auto port = responder->local_endpoint().port();
  const std::string target = std::string(test::routed_lab::server_v4) + ":" + std::to_string(port);
  const auto inside = lab.client.enter();

  // Open first: the relay answers through the router.
  const auto open = test::run_check({{"probe", "turn"}, {"target", target}, {"timeout", "2s"}});
  CHECK(open.outcome.state == status::pass);

  lab.router.nft(R"(table inet filter {
  chain forward {
    type filter hook forward priority 0;
    udp dport )" + std::to_string(port) + R"( drop
  }
})");
  const auto r = test::run_check({{"probe", "turn"}, {"target", target}, {"timeout", "2s"}});
  CHECK(r.outcome.state == status::fail);
  CHECK(r.outcome.why == reason::turn_no_response);
  const auto& d = details_of(r);
  // RTO 500 ms doubling inside 2 s: sent at 0, 0.5 and 1.5 s.
  REQUIRE(d["exchanges"].size() == 1);
  const auto& sent = d["exchanges"][0]["transmissions"];
  REQUIRE(sent.size() == 3);
  CHECK(sent[1]["t_ms"].get<double>() - sent[0]["t_ms"].get<double>() == doctest::Approx(500).epsilon(0.2));
  CHECK(sent[2]["t_ms"].get<double>() - sent[1]["t_ms"].get<double>() == doctest::Approx(1000).epsilon(0.2));
  CHECK(r.outcome.message.find("3 datagrams") != std::string::npos);
  CHECK(r.duration_ms >= 1990.0);
  CHECK(r.duration_ms < 3000.0); // the check's deadline, not the OS's
  responder->stop();
}

} // TEST_SUITE
