// The tcp probe in network namespaces these tests build (client — router —
// server, see support/netns.hpp), with faults injected by nftables on the
// router: dropped SYNs, ICMP rejects, source-port filters, MSS clamping, NAT;
// and a client with no route or no free ephemeral port.
#include "net/tcp_connect.hpp"
#include "net/tcp_responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/netns.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include <unistd.h>

#include <optional>
#include <vector>

using namespace edgeprobe;
using json = nlohmann::json;

namespace {

// The only reasons to skip: no root, or no `ip netns`. Anything else that
// breaks the lab (nft missing, a rule rejected) fails the test.
bool lab_unavailable() {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespace tests need root");
    return true;
  }
  try {
    test::shell("ip netns list");
  } catch (const std::exception&) {
    MESSAGE("skipped: `ip netns` is not available");
    return true;
  }
  return false;
}

// A responder whose listening socket lives in `ns` (sockets stay in the
// namespace they were created in; accepted ones inherit it).
struct lab_responder {
  lab_responder(const test::netns& ns, const char* address, std::uint16_t port, tcp_responder_options options = {})
      : responder([&] {
          auto in = ns.enter();
          return tcp_responder(io.executor(), {net::ip::make_address(address), port}, options);
        }()) {
    responder.start();
  }
  test::io_thread io; // declared first: outlives the responder
  tcp_responder responder;
};

// A forward-chain ruleset for the router.
void router_rules(const test::routed_lab& lab, const std::string& rules) {
  lab.router.nft("table inet lab {\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n" +
                 rules + "\n  }\n}\n");
}

const json& details(const check_result& r) {
  REQUIRE(r.addresses.size() == 1);
  return r.addresses.front().outcome.details;
}

std::string reason_of(const check_result& r) { return std::string(code(r.outcome.why)); }

json tcp_check(const std::string& target, const char* timeout) {
  return {{"probe", "tcp"}, {"target", target}, {"timeout", timeout}};
}

} // namespace

TEST_SUITE("netns") {

TEST_CASE("dropped SYNs: tcp.timeout with the SYNs counted, ending at the deadline") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  router_rules(lab, "ip daddr 10.77.2.2 tcp dport 8080 drop");
  auto in = lab.client.enter();

  auto r = test::run_check(tcp_check("10.77.2.2:8080", "3s"));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.timeout");
  const auto& d = details(r);
  CHECK(d["syns_sent"].get<int>() >= 2); // the first SYN and the retransmission after 1 s at least
  CHECK(d["error"]["errno"].is_null()); // our deadline ended it, not the kernel
  CHECK_FALSE(d["error"].contains("icmp"));
  CHECK(d["local_address"] == test::routed_lab::client_v4);
  CHECK(d["connect_ms"].get<double>() >= 2900);
  CHECK(r.duration_ms >= 2900);
  CHECK(r.duration_ms < 3400);

  // The same silence is what "filtered" means.
  json filtered = tcp_check("10.77.2.2:8080", "1200ms");
  filtered["expect"] = {{"state", "filtered"}};
  CHECK(test::run_check(filtered).outcome.state == status::pass);
  filtered["expect"] = {{"state", "not_open"}};
  CHECK(test::run_check(filtered).outcome.state == status::pass);
  filtered["expect"] = {{"state", "closed"}};
  auto closed = test::run_check(filtered);
  CHECK(closed.outcome.state == status::fail);
  CHECK(reason_of(closed) == "tcp.timeout");
}

TEST_CASE("ICMP and RST rejects from a router: each its own reason, naming the router") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  router_rules(lab,
               "ip daddr 10.77.2.2 tcp dport 8081 reject with icmp type host-unreachable\n"
               "ip daddr 10.77.2.2 tcp dport 8082 reject with icmp type admin-prohibited\n"
               "ip daddr 10.77.2.2 tcp dport 8083 reject with icmp type net-unreachable\n"
               "ip daddr 10.77.2.2 tcp dport 8084 reject with icmp type port-unreachable\n"
               "ip daddr 10.77.2.2 tcp dport 8085 reject with tcp reset\n"
               "ip6 daddr fd00:77:2::2 tcp dport 8082 reject with icmpv6 type admin-prohibited\n"
               "ip6 daddr fd00:77:2::2 tcp dport 8081 reject with icmpv6 type addr-unreachable\n");
  auto in = lab.client.enter();

  struct expected {
    const char* target;
    const char* reason;
    int icmp_code; // -1: no ICMP (a RST)
    const char* from;
  };
  const std::vector<expected> cases = {
      {"10.77.2.2:8081", "tcp.host_unreachable", 1, test::routed_lab::router_client_side_v4},
      {"10.77.2.2:8082", "tcp.admin_prohibited", 13, test::routed_lab::router_client_side_v4},
      {"10.77.2.2:8083", "tcp.net_unreachable", 0, test::routed_lab::router_client_side_v4},
      {"10.77.2.2:8084", "tcp.refused", 3, test::routed_lab::router_client_side_v4},
      {"10.77.2.2:8085", "tcp.refused", -1, nullptr},
      {"[fd00:77:2::2]:8082", "tcp.admin_prohibited", 1, test::routed_lab::router_client_side_v6},
      {"[fd00:77:2::2]:8081", "tcp.host_unreachable", 3, test::routed_lab::router_client_side_v6},
  };
  for (const auto& c : cases) {
    CAPTURE(c.target);
    auto r = test::run_check(tcp_check(c.target, "2s"));
    CHECK(r.outcome.state == status::fail);
    CHECK(reason_of(r) == c.reason);
    CHECK(r.duration_ms < 500); // an answer, not a timeout
    const auto& d = details(r);
    CHECK(d["syns_sent"] == 1);
    if (c.icmp_code < 0) {
      CHECK(d["error"]["errno"] == "ECONNREFUSED");
      CHECK_FALSE(d["error"].contains("icmp"));
      continue;
    }
    const auto& icmp = d["error"]["icmp"];
    CHECK(icmp["type"] == (std::string(c.target).front() == '[' ? 1 : 3));
    CHECK(icmp["code"] == c.icmp_code);
    CHECK(icmp["from"] == c.from);
    CHECK(r.outcome.message.find(c.from) != std::string::npos);
  }

  // An ICMP reject is "filtered" (a device in the way), a RST is "closed".
  json check = tcp_check("10.77.2.2:8082", "2s");
  check["expect"] = {{"state", "filtered"}};
  CHECK(test::run_check(check).outcome.state == status::pass);
  check["expect"] = {{"state", "not_open"}};
  CHECK(test::run_check(check).outcome.state == status::pass);
  check["expect"] = {{"state", "open"}};
  CHECK(reason_of(test::run_check(check)) == "tcp.admin_prohibited");
  check["target"] = "10.77.2.2:8085";
  check["expect"] = {{"state", "filtered"}};
  CHECK(reason_of(test::run_check(check)) == "tcp.unexpectedly_closed");
}

TEST_CASE("first cause wins: host-unreachable, then a retry that times out") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  // Only the very first SYN is answered with ICMP; every later one is dropped.
  router_rules(lab,
               "ip daddr 10.77.2.2 tcp dport 8090 numgen inc mod 1000000 0 reject with icmp type host-unreachable\n"
               "ip daddr 10.77.2.2 tcp dport 8090 drop");
  auto in = lab.client.enter();

  json check = tcp_check("10.77.2.2:8090", "1500ms");
  check["retries"] = 1;
  auto r = test::run_check(check);
  CHECK(r.attempts == 2);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.host_unreachable");
  CHECK(details(r)["error"]["icmp"]["from"] == test::routed_lab::router_client_side_v4);
  REQUIRE(r.outcome.details["attempts"].size() == 2);
  CHECK(r.outcome.details["attempts"][0]["reason"] == "tcp.host_unreachable");
  CHECK(r.outcome.details["attempts"][1]["reason"] == "tcp.timeout");
}

TEST_CASE("a lost first SYN: connected, but slower than max_connect_ms") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  lab_responder srv(lab.server, test::routed_lab::server_v4, 9000, {.silent = true});
  router_rules(lab, "ip daddr 10.77.2.2 tcp dport 9000 tcp flags syn numgen inc mod 1000000 0 drop");
  auto in = lab.client.enter();

  json check = tcp_check("10.77.2.2:9000", "3s");
  check["expect"] = {{"max_connect_ms", 500}};
  auto r = test::run_check(check);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.slow_connect");
  const auto& d = details(r);
  CHECK(d["syns_sent"] == 2);
  CHECK(d["connect_ms"].get<double>() >= 900);
  CHECK(d["connect_ms"].get<double>() < 2000);
  CHECK(d["tcp_info"]["state"] == "established");
}

TEST_CASE("no route on the client: tcp.no_route, nothing sent") {
  if (lab_unavailable()) return;
  test::netns client("noroute"); // loopback only: no route anywhere else
  auto in = client.enter();

  for (const char* target : {"10.99.0.1:80", "[fd00:99::1]:80"}) {
    CAPTURE(target);
    auto r = test::run_check(tcp_check(target, "2s"));
    CHECK(r.outcome.state == status::fail);
    CHECK(reason_of(r) == "tcp.no_route");
    const auto& d = details(r);
    CHECK(d["error"]["errno"] == "ENETUNREACH");
    CHECK_FALSE(d["error"].contains("icmp"));
    CHECK(r.duration_ms < 200);
  }
  // No route says nothing about the port: "not open" is not confirmed either.
  json check = tcp_check("10.99.0.1:80", "2s");
  check["expect"] = {{"state", "not_open"}};
  CHECK(reason_of(test::run_check(check)) == "tcp.no_route");
}

TEST_CASE("no free ephemeral port on the client: tcp.local_ports_exhausted") {
  if (lab_unavailable()) return;
  test::netns client("ports");
  client.sysctl("net.ipv4.ip_local_port_range", "40000 40001"); // two ephemeral ports, per namespace
  auto in = client.enter();
  test::io_thread io;
  // A fixed port outside the range: port 0 would take one of the two.
  tcp_responder srv(io.executor(), {net::ip::make_address("127.0.0.1"), 9000}, {.silent = true});
  srv.start();

  // Both ports in use towards the same destination: a third connect has no 4-tuple left.
  net::io_context ioc;
  std::vector<net::ip::tcp::socket> held;
  for (int i = 0; i < 2; ++i) {
    held.emplace_back(ioc);
    held.back().connect(srv.local_endpoint());
    CHECK(held.back().local_endpoint().port() >= 40000);
  }

  auto r = test::run_check(tcp_check(endpoint_text(srv.local_endpoint()), "2s"));
  CHECK(r.outcome.state == status::error); // this host's problem, not the target's
  CHECK(reason_of(r) == "tcp.local_ports_exhausted");
  const auto& d = details(r);
  CHECK(d["error"]["errno"] == "EADDRNOTAVAIL");
  CHECK(d["syns_sent"] == 1);
}

TEST_CASE("source-port sweep through a filter on some source ports") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  lab_responder srv(lab.server, test::routed_lab::server_v4, 9000);
  router_rules(lab,
               "ip daddr 10.77.2.2 tcp dport 9000 tcp sport { 41002, 41003 } drop\n"
               "ip daddr 10.77.2.2 tcp dport 9000 tcp sport 41004 reject with icmp type admin-prohibited");
  auto in = lab.client.enter();

  json check = tcp_check("10.77.2.2:9000", "2s");
  check["source_port"] = "41000-41005";
  check["responder"] = true;
  auto r = test::run_check(check);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.source_port_blocked");
  CHECK(r.outcome.message.find("41002") != std::string::npos);
  const auto& d = details(r);
  CHECK(d["open_ports"] == json({41000, 41001, 41005}));
  CHECK(d["failed_ports"] == json({41002, 41003, 41004}));
  REQUIRE(d["sweep"].size() == 6);
  CHECK(d["sweep"][0]["status"] == "pass");
  CHECK(d["sweep"][0]["responder"]["saw"]["port"] == 41000); // the responder saw the port we chose
  CHECK(d["sweep"][2]["reason"] == "tcp.timeout");
  CHECK(d["sweep"][2]["syns_sent"].get<int>() >= 2);
  CHECK(d["sweep"][3]["reason"] == "tcp.timeout");
  CHECK(d["sweep"][4]["reason"] == "tcp.admin_prohibited");
  CHECK(d["sweep"][4]["error"]["icmp"]["from"] == test::routed_lab::router_client_side_v4);
  CHECK(d["sweep"][5]["status"] == "pass");

  // A single blocked source port is just that port's failure.
  check["source_port"] = 41004;
  check["responder"] = false;
  auto single = test::run_check(check);
  CHECK(reason_of(single) == "tcp.admin_prohibited");
  CHECK(details(single)["local_port"] == 41004);
}

TEST_CASE("MSS clamped on the path: tcp.small_mss against expect.min_mss") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  lab_responder srv(lab.server, test::routed_lab::server_v4, 9000, {.silent = true});
  lab.router.nft("table inet lab {\n  chain forward {\n    type filter hook forward priority mangle; policy accept;\n"
                 "    tcp flags syn tcp option maxseg size set 536\n  }\n}\n");
  auto in = lab.client.enter();

  json check = tcp_check("10.77.2.2:9000", "2s");
  check["expect"] = {{"min_mss", 1200}};
  auto r = test::run_check(check);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.small_mss");
  CHECK(r.outcome.message.find("536") != std::string::npos);
  const auto& info = details(r)["tcp_info"];
  CHECK(info["path_mss"] == 536);
  CHECK(info["snd_mss"].get<int>() <= 536);

  check["expect"] = {{"min_mss", 536}};
  CHECK(test::run_check(check).outcome.state == status::pass);
}

TEST_CASE("NAT on the path: the responder saw another address") {
  if (lab_unavailable()) return;
  test::routed_lab lab;
  lab_responder srv(lab.server, test::routed_lab::server_v4, 9000);
  lab.router.nft("table ip lab_nat {\n  chain post {\n    type nat hook postrouting priority srcnat;\n"
                 "    oifname \"r1\" masquerade\n  }\n}\n");
  auto in = lab.client.enter();

  json check = tcp_check("10.77.2.2:9000", "2s");
  check["responder"] = true;
  auto r = test::run_check(check);
  CHECK(r.outcome.state == status::pass); // evidence by default
  CHECK(reason_of(r) == "path.address_translated");
  const auto& d = details(r);
  CHECK(d["local_address"] == test::routed_lab::client_v4);
  CHECK(d["responder"]["saw"]["address"] == test::routed_lab::router_server_side_v4);
  CHECK(d["responder"]["me"]["address"] == test::routed_lab::server_v4);
  CHECK(d["responder"]["translated"] == true);
  CHECK(r.outcome.message.find(test::routed_lab::router_server_side_v4) != std::string::npos);

  check["expect"] = {{"no_translation", true}};
  auto strict = test::run_check(check);
  CHECK(strict.outcome.state == status::fail);
  CHECK(reason_of(strict) == "path.address_translated");
}

} // TEST_SUITE
