// The tcp probe through the real runner against the tcp responder on loopback:
// pass with TCP_INFO, refused, greeting/echo/banner, resets, expect.state,
// close modes (TIME_WAIT or not), zero window, source-port sweeps.
#include "net/connect_judge.hpp"
#include "net/tcp_connect.hpp"
#include "net/tcp_responder.hpp"
#include "probes/tcp/attempt.hpp"
#include "report/json_report.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/netns.hpp"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <sstream>
#include <thread>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::reason_of;

namespace {

struct responder_fixture {
  explicit responder_fixture(tcp_responder_options options = {}, const char* address = "127.0.0.1")
      : responder(io.executor(), {net::ip::make_address(address), 0}, options) {
    responder.start();
  }
  std::string target() const { return endpoint_text(responder.local_endpoint()); }
  std::uint16_t port() const { return responder.local_endpoint().port(); }

  test::io_thread io; // declared first: outlives the responder
  tcp_responder responder;
};

bool has_phase(const check_result& r, const std::string& name) {
  for (const auto& p : r.phases)
    if (p.name == name) return true;
  return false;
}

// Sockets in TIME_WAIT between these two ports (the probe's and the server's),
// as `ss` lists them. Both ports matter: the listener's port number may have
// been an ephemeral client port earlier in this run, still in TIME_WAIT.
int time_wait_count(const json& local_port, std::uint16_t server_port) {
  const std::string filter = "'( sport = :" + std::to_string(local_port.get<int>()) +
                             " and dport = :" + std::to_string(server_port) + " )'";
  std::istringstream lines(test::shell("ss -Htan state time-wait " + filter));
  int n = 0;
  for (std::string line; std::getline(lines, line);) n += !line.empty();
  return n;
}

} // namespace

TEST_SUITE("tcp") {

TEST_CASE("an open port passes and reports TCP_INFO") {
  responder_fixture srv({.silent = true});
  auto r = test::run_check({{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}});
  CHECK(r.outcome.state == status::pass);
  CHECK(r.outcome.why == reason::none);
  const auto& d = details_of(r);
  CHECK(d["local_address"] == "127.0.0.1");
  CHECK(d["local_port"].get<int>() > 0);
  CHECK(d["syns_sent"] == 1);
  CHECK(d["connect_ms"].get<double>() >= 0.0);
  CHECK(d["connect_ms"].get<double>() < 100.0);
  CHECK_FALSE(d.contains("error"));
  const auto& info = d["tcp_info"];
  CHECK(info["state"] == "established");
  CHECK(info["rtt_ms"].get<double>() > 0.0);
  CHECK(info["snd_mss"].get<int>() > 1000); // loopback's MTU is 64 KiB
  CHECK(info["advmss"].get<int>() > 1000);
  CHECK(info["sack"] == true);
  CHECK(info["timestamps"] == true);
  CHECK(info["snd_wscale"].is_number());
  CHECK(info["peer_window"].get<long>() > 0);
  CHECK(d["close"] == "fin");
  CHECK(has_phase(r, "connect"));
}

TEST_CASE("the JSON report writes a connect's evidence part byte for byte as the JSON other readers get") {
  // A check that cannot connect (error, no close), one that only connects, and
  // one whose exchange adds members that sort before, among and after the
  // connect's own (banner_ms, received, responder, sent_bytes).
  responder_fixture srv;
  const json checks[] = {
      {{"probe", "tcp"}, {"target", "127.0.0.1:1"}, {"timeout", "2s"}},
      {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"close", "rst"}},
      {{"probe", "tcp"},
       {"target", srv.target()},
       {"timeout", "2s"},
       {"responder", true},
       {"send", {{"text", "ping 42\r\n"}}},
       {"expect", {{"banner", "^ping"}, {"no_translation", true}}}},
  };
  for (const auto& check : checks) {
    CAPTURE(check.dump());
    run_result run;
    run.results.push_back(test::run_check(check, true));
    const auto& v = run.results[0].addresses.at(0).outcome;
    REQUIRE(v.part != nullptr);
    CHECK_FALSE(v.details.contains("syns_sent")); // still the struct, not JSON
    std::ostringstream direct, materialized;
    write_json_report(run, direct, {});
    materialize_evidence(run);
    CHECK(run.results[0].addresses[0].outcome.part == nullptr);
    CHECK(run.results[0].addresses[0].outcome.details.contains("syns_sent"));
    write_json_report(run, materialized, {});
    CHECK(direct.str() == materialized.str());
    // nlohmann's layout, and the details in nlohmann's key order
    const auto document = nlohmann::ordered_json::parse(direct.str());
    CHECK(direct.str() == document.dump(2) + "\n");
    const auto details = document["results"][0]["addresses"][0]["details"].dump();
    CHECK(details == json::parse(details).dump());
  }
}

TEST_CASE("a closed port is refused, with the time to the RST") {
  auto r = test::run_check({{"probe", "tcp"}, {"target", "127.0.0.1:1"}, {"timeout", "2s"}});
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.refused");
  const auto& d = details_of(r);
  CHECK(d["error"]["errno"] == "ECONNREFUSED");
  CHECK_FALSE(d["error"].contains("icmp"));
  CHECK(d["syns_sent"] == 1);
  CHECK(d["connect_ms"].get<double>() < 100.0);
  CHECK(r.outcome.message.find("127.0.0.1:1 refused") != std::string::npos);
}

TEST_CASE("responder: greeting names our own address and port, echo matches the banner") {
  responder_fixture srv;
  auto r = test::run_check({{"probe", "tcp"},
                            {"target", srv.target()},
                            {"timeout", "2s"},
                            {"responder", true},
                            {"send", {{"text", "ping 42\r\n"}}},
                            {"expect", {{"banner", "^ping \\d+\\r\\n$"}, {"no_translation", true}}}});
  CHECK(r.outcome.state == status::pass);
  CHECK(r.outcome.why == reason::none);
  const auto& d = details_of(r);
  CHECK(d["responder"]["responder"] == "tcp");
  CHECK(d["responder"]["saw"]["address"] == "127.0.0.1");
  CHECK(d["responder"]["saw"]["port"] == d["local_port"]);
  CHECK(d["responder"]["me"]["port"] == srv.port());
  CHECK(d["responder"]["translated"] == false);
  CHECK(d["sent_bytes"] == 9);
  CHECK(d["received"]["text"] == "ping 42\\r\\n");
  CHECK(d.contains("banner_ms"));
  CHECK(has_phase(r, "banner"));
}

TEST_CASE("responder over IPv6 loopback") {
  responder_fixture srv({}, "::1");
  auto r = test::run_check(
      {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"responder", true}});
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["local_address"] == "::1");
  CHECK(d["responder"]["saw"]["address"] == "::1");
  CHECK(d["responder"]["saw"]["port"] == d["local_port"]);
}

TEST_CASE("banner mismatch shows what was seen, escaped") {
  responder_fixture srv({.silent = true});
  auto r = test::run_check({{"probe", "tcp"},
                            {"target", srv.target()},
                            {"timeout", "1s"},
                            {"send", {{"hex", "48 45 4c 4c 4f 00 0d 0a"}}},
                            {"expect", {{"banner", "^SSH-2\\.0"}}}});
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.banner_mismatch");
  const auto& d = details_of(r);
  CHECK(d["received"]["text"] == "HELLO\\x00\\r\\n");
  CHECK(d["received"]["ended"] == "deadline");
  CHECK(r.outcome.message.find("HELLO\\x00\\r\\n") != std::string::npos);
  CHECK(r.duration_ms < 1100);
}

TEST_CASE("hex banner: an exact byte prefix") {
  responder_fixture srv({.silent = true});
  json check = {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"send", {{"hex", "160301"}}}};
  check["expect"] = {{"banner", {{"hex", "16 03"}}}};
  CHECK(test::run_check(check).outcome.state == status::pass);
  check["expect"] = {{"banner", {{"hex", "1603 02"}}}};
  auto r = test::run_check(check);
  CHECK(reason_of(r) == "tcp.banner_mismatch");
  CHECK(details_of(r)["received"]["text"] == "\\x16\\x03\\x01");
}

TEST_CASE("not a responder: the greeting is missing") {
  responder_fixture srv({.silent = true});
  auto r = test::run_check(
      {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "500ms"}, {"responder", true}});
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.banner_mismatch");
  CHECK(r.outcome.message.find("greeting") != std::string::npos);
}

TEST_CASE("a server that resets right after accept: tcp.reset") {
  responder_fixture srv({.reset_after_accept = true});
  // The RST may land before the connect's completion is collected (then the
  // connect itself reports ECONNRESET) or after it (then hold sees it).
  auto reset_seen = [](const json& d) {
    if (d.contains("hold")) return d["hold"]["ended"] == "reset" && d["hold"]["held_ms"].get<double>() < 400;
    return d["error"]["errno"] == "ECONNRESET";
  };
  for (int i = 0; i < 3; ++i) {
    auto r = test::run_check({{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"hold", "500ms"}});
    CHECK(r.outcome.state == status::fail);
    CHECK(reason_of(r) == "tcp.reset");
    CHECK(reset_seen(details_of(r)));
  }

  // Without hold the bare handshake may finish before the RST: pass or reset, never anything else.
  auto plain = test::run_check({{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}});
  CHECK((plain.outcome.state == status::pass || reason_of(plain) == "tcp.reset"));

  // Reading the greeting sees the reset too.
  auto greeting = test::run_check(
      {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"responder", true}});
  CHECK(greeting.outcome.state == status::fail);
  CHECK(reason_of(greeting) == "tcp.reset");

  // The handshake completed, so the port is open: expect.state closed fails.
  auto closed = test::run_check(
      {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"expect", {{"state", "closed"}}}});
  CHECK(reason_of(closed) == "tcp.unexpectedly_open");
}

TEST_CASE("hold on a healthy connection passes and reports how long it held") {
  responder_fixture srv;
  auto r = test::run_check({{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"hold", "300ms"}});
  CHECK(r.outcome.state == status::pass);
  const auto& hold = details_of(r)["hold"];
  CHECK(hold["ended"] == "time");
  CHECK(hold["held_ms"].get<double>() >= 299);
  CHECK(hold["bytes_received"].get<int>() > 0); // the greeting, read and discarded
}

TEST_CASE("expect.state against a closed and an open port") {
  responder_fixture srv({.silent = true});
  auto check = [](const std::string& target, const char* state) {
    return test::run_check(
        {{"probe", "tcp"}, {"target", target}, {"timeout", "2s"}, {"expect", {{"state", state}}}});
  };
  const auto closed = check("127.0.0.1:1", "closed");
  CHECK(closed.outcome.state == status::pass);
  CHECK(reason_of(closed) == "tcp.refused"); // the pass names how it was recognised...
  CHECK(closed.outcome.hint.empty());        // ...with nothing to fix
  auto refused = check("127.0.0.1:1", "open");
  CHECK(refused.outcome.state == status::fail);
  CHECK(reason_of(refused) == "tcp.refused");
  CHECK(check("127.0.0.1:1", "not_open").outcome.state == status::pass);

  auto filtered = check("127.0.0.1:1", "filtered");
  CHECK(filtered.outcome.state == status::fail);
  CHECK(reason_of(filtered) == "tcp.unexpectedly_closed");

  for (const char* state : {"closed", "filtered", "not_open"}) {
    CAPTURE(state);
    auto open = check(srv.target(), state);
    CHECK(open.outcome.state == status::fail);
    CHECK(reason_of(open) == "tcp.unexpectedly_open");
  }
}

TEST_CASE("close: rst leaves no TIME_WAIT, fin does") {
  responder_fixture fin_srv({.silent = true});
  auto fin = test::run_check({{"probe", "tcp"}, {"target", fin_srv.target()}, {"timeout", "2s"}});
  REQUIRE(fin.outcome.state == status::pass);
  const json fin_port = details_of(fin)["local_port"];
  // The responder answers our FIN with its own; give it a moment to arrive.
  for (int i = 0; i < 200 && time_wait_count(fin_port, fin_srv.port()) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::string port = std::to_string(fin_srv.port());
  INFO("sockets on that port: ", test::shell("ss -Htani '( sport = :" + port + " or dport = :" + port + " )'"));
  CHECK(time_wait_count(fin_port, fin_srv.port()) == 1);

  responder_fixture rst_srv({.silent = true});
  auto rst = test::run_check(
      {{"probe", "tcp"}, {"target", rst_srv.target()}, {"timeout", "2s"}, {"close", "rst"}});
  REQUIRE(rst.outcome.state == status::pass);
  CHECK(details_of(rst)["close"] == "rst");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(time_wait_count(details_of(rst)["local_port"], rst_srv.port()) == 0);
}

TEST_CASE("a peer that stops reading: zero window") {
  responder_fixture srv({.zero_window = true, .silent = true});
  // More than the peer's tiny buffer and our own send buffer hold: either the
  // send stalls until the deadline, or it completes and the hold ends with the
  // window still shut. Both must name the zero window.
  auto r = test::run_check({{"probe", "tcp"},
                            {"target", srv.target()},
                            {"timeout", "1s"},
                            {"send", {{"text", std::string(1 << 20, 'x')}}},
                            {"hold", "300ms"}});
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tcp.zero_window");
  CHECK(details_of(r)["tcp_info_end"]["peer_window"] == 0);
  CHECK(r.duration_ms < 1100);
}

TEST_CASE("max_connect_ms judges the kernel's handshake time, not the event loop's queue") {
  responder_fixture srv({.silent = true});
  net::io_context io;
  std::optional<connect_report> report;
  connect_options options;
  options.deadline = clock::now() + std::chrono::seconds(2);
  options.then_close = true;
  net::co_spawn(io, connect_with_diagnostics(io.get_executor(), srv.responder.local_endpoint(), options),
                [&](std::exception_ptr, connect_report r) { report = std::move(r); });
  // A busy monitor: once the SYN is out, other work holds the loop for 150 ms.
  net::post(io, [] { std::this_thread::sleep_for(std::chrono::milliseconds(150)); });
  io.run();
  REQUIRE(report);
  REQUIRE(report->connected());
  CHECK(report->connect_ms >= 150.0);
  REQUIRE(report->handshake_ms);
  CHECK(*report->handshake_ms < 50.0); // loopback: microseconds
  CHECK(report->details()["handshake_ms"] == *report->handshake_ms);

  tcp_config cfg;
  cfg.max_connect_ms = 50;
  verdict v;
  judge_connect(*report, cfg, v);
  CHECK(v.state == status::pass);
  CHECK(v.why == reason::none);

  // Without the kernel's sample (a retransmitted SYN), the wall time decides.
  report->handshake_ms.reset();
  verdict slow;
  judge_connect(*report, cfg, slow);
  CHECK(slow.state == status::fail);
  CHECK(slow.why == reason::tcp_slow_connect);
  report->socket->close();
}

TEST_CASE("source-port sweep on loopback: every port connects, reported per port") {
  responder_fixture srv({.silent = true});
  // Ports from the top of the range, far from the ephemeral range's busy start.
  const int first = 61000 + (::getpid() % 1000) * 4;
  const std::string range = std::to_string(first) + "-" + std::to_string(first + 3);
  json check = {{"probe", "tcp"}, {"target", srv.target()}, {"timeout", "2s"}, {"source_port", range}};
  {
    auto r = test::run_check(check);
    CHECK(r.outcome.state == status::pass);
    const auto& d = details_of(r);
    REQUIRE(d["sweep"].size() == 4);
    for (int i = 0; i < 4; ++i) {
      CHECK(d["sweep"][i]["source_port"] == first + i);
      CHECK(d["sweep"][i]["local_port"] == first + i);
      CHECK(d["sweep"][i]["status"] == "pass");
    }
    CHECK(d["open_ports"].size() == 4);
    CHECK(d["failed_ports"].empty());
  }
}

} // TEST_SUITE
