// The udp probe end to end through a routed lab of network namespaces
// (client — router — server) whose router drops, rejects or translates.
#include "probes/udp/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/netns.hpp"
#include "support/udp_checks.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <optional>
#include <string>

using namespace edgeprobe;
using json = nlohmann::json;
using udp = net::ip::udp;
using test::details_of;
using test::udp_check;

TEST_SUITE("netns") {

// client — router — server; the responder listens in the server namespace.
struct udp_lab {
  udp_lab() {
    const auto inside = lab.server.enter(); // its sockets belong to the server namespace
    responder.emplace(io.executor(), udp::endpoint(net::ip::make_address(test::routed_lab::server_v4), 0));
    responder->start();
  }
  std::string target() const {
    return std::string(test::routed_lab::server_v4) + ":" + std::to_string(responder->local_endpoint().port());
  }

  test::routed_lab lab;
  test::io_thread io;
  std::optional<udp_responder> responder; // destroyed before the thread serving it
};

TEST_CASE("udp probe: datagrams dropped by a router: filtered, udp.no_response when the deadline ends it") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  udp_lab lab;
  lab.lab.router.nft(R"(table inet filter {
  chain forward {
    type filter hook forward priority 0;
    udp dport )" + std::to_string(lab.responder->local_endpoint().port()) + R"( drop
  }
})");
  const auto inside = lab.lab.client.enter();

  const auto r = test::run_check(udp_check(lab.target(), {{"timeout", "700ms"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(r.outcome.why == reason::udp_no_response);
  const auto& d = details_of(r);
  CHECK(d["state"] == "filtered");
  CHECK(d["transmissions"].size() >= 2);
  CHECK_FALSE(d.contains("icmp"));
  CHECK(r.duration_ms >= 690.0); // the deadline ended it, nothing earlier
  CHECK(r.duration_ms < 1500.0); // and not the OS: generous for a loaded CI machine
  CHECK(lab.responder->received() == 0);

  const auto filtered = test::run_check(udp_check(lab.target(), {{"timeout", "300ms"}, {"expect", {{"state", "filtered"}}}}));
  CHECK(filtered.outcome.state == status::pass);
}

TEST_CASE("udp probe: a router that rejects: its ICMP error is named with the router's address") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  udp_lab lab;
  lab.lab.router.nft(R"(table inet filter {
  chain forward {
    type filter hook forward priority 0;
    udp dport )" + std::to_string(lab.responder->local_endpoint().port()) + R"( reject with icmp type admin-prohibited
  }
})");
  const auto inside = lab.lab.client.enter();

  const auto r = test::run_check(udp_check(lab.target()));
  CHECK(r.outcome.state == status::fail);
  CHECK(r.outcome.why == reason::tcp_admin_prohibited);
  const auto& d = details_of(r);
  CHECK(d["state"] == "filtered");
  CHECK(d["icmp"]["type"] == 3);
  CHECK(d["icmp"]["code"] == 13);
  CHECK(d["icmp"]["from"] == test::routed_lab::router_client_side_v4);
  CHECK(d["icmp"]["about"] == lab.target());
  CHECK(lab.responder->received() == 0);

  const auto filtered = test::run_check(udp_check(lab.target(), {{"expect", {{"state", "filtered"}}}}));
  CHECK(filtered.outcome.state == status::pass);
}

TEST_CASE("udp probe: a router that translates the source: the responder's view reveals it") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  udp_lab lab;
  lab.lab.router.nft(R"(table ip nat {
  chain postrouting {
    type nat hook postrouting priority 100;
    oifname "r1" masquerade
  }
})");
  const auto inside = lab.lab.client.enter();

  const auto r = test::run_check(udp_check(lab.target()));
  CHECK(r.outcome.state == status::pass); // translation is evidence unless the check forbids it
  CHECK(r.outcome.why == reason::path_address_translated);
  const auto& d = details_of(r);
  CHECK(d["local"]["address"] == test::routed_lab::client_v4);
  CHECK(d["responder"]["saw"]["address"] == test::routed_lab::router_server_side_v4);
  CHECK(d["responder"]["translated"] == true);
  CHECK(d["reply_from_other_address"] == false); // the router translates the answer back

  const auto strict = test::run_check(udp_check(lab.target(), {{"expect", {{"no_translation", true}}}}));
  CHECK(strict.outcome.state == status::fail);
  CHECK(strict.outcome.why == reason::path_address_translated);
}

} // TEST_SUITE
