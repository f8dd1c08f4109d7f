// The stun and turn probes against a real coturn on loopback (a configuration
// the test writes): the challenge, a long-term credential allocation and its
// release, wrong credentials, TCP and TLS; the reflexive address cross-checked
// with turnutils_stunclient. The edgeprobe responder is the peer for MS-TURN.
#include "probes/stun/responder.hpp"
#include "support/check_runner.hpp"
#include "support/coturn_server.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/tls_checks.hpp"
#include "support/udp_middlebox.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

#include <regex>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::reason_of;

namespace {

json turn_check(const std::string& target, json extra = json::object()) {
  json check = {{"probe", "turn"}, {"target", target}, {"timeout", "3s"}};
  check.update(extra);
  return check;
}

json credentials(const test::coturn_server& server, const std::string& password = "") {
  return {{"username", server.options().username},
          {"password", password.empty() ? server.options().password : password}};
}

} // namespace

TEST_SUITE("turn") {

TEST_CASE("turn probe vs coturn without credentials: reachable, with the realm coturn challenges in") {
  test::coturn_server coturn;
  const auto r = test::run_check(turn_check(coturn.target()));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["outcome"] == "reachable");
  CHECK(d["realm"] == "edgeprobe.test");
  CHECK(d["software"].get<std::string>().find("Coturn") != std::string::npos);
  REQUIRE(d["exchanges"].size() == 1);
  const auto& e = d["exchanges"][0];
  CHECK(e["answer"]["error"]["code"] == 401);
  CHECK(e["answer"]["nonce_present"] == true);
  CHECK(e["answer"]["fingerprint"] == "valid");
  CHECK(e["transmissions"].size() == 1);
  CHECK(e["transmissions"][0].contains("rtt_ms"));
  CHECK(r.outcome.message.find("realm \"edgeprobe.test\"") != std::string::npos);
}

TEST_CASE("turn probe vs coturn with credentials: a relayed address, its lifetime, and the release coturn logs") {
  test::coturn_server coturn;
  auto check = turn_check(coturn.target(), credentials(coturn));
  check["lifetime"] = 1200; // coturn grants at least its default 600 s (RFC 5766 §6.2)
  const auto r = test::run_check(check);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["outcome"] == "allocated");
  CHECK(d["relayed_address"].get<std::string>().starts_with("127.0.0.1:"));
  CHECK(d["mapped_address"] == d["local"]);
  CHECK(d["lifetime_s"] == 1200);
  CHECK(d["released"] == true);
  REQUIRE(d["exchanges"].size() == 3);
  CHECK(d["exchanges"][1]["answer"]["message_integrity"] == "valid");
  CHECK(d["exchanges"][2]["request"] == "Refresh request (lifetime 0)");
  CHECK(d["exchanges"][2]["answer"]["class"] == "success response");
  // coturn's own account of the release: the session refreshed to lifetime 0,
  // so it is deleted at once, not when its 1200 s run out.
  CHECK(coturn.logs("refreshed, realm=<edgeprobe.test>, username=<alice>, lifetime=0"));
  // The password never appears in the evidence.
  CHECK(d.dump().find(coturn.options().password) == std::string::npos);
}

TEST_CASE("turn probe vs coturn with release false: the allocation stays (coturn logs no lifetime-0 refresh)") {
  test::coturn_server coturn;
  auto check = turn_check(coturn.target(), credentials(coturn));
  check["release"] = false;
  const auto r = test::run_check(check);
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["released"] == false);
  CHECK(details_of(r)["exchanges"].size() == 2);
  CHECK(r.outcome.message.find("kept (release: false)") != std::string::npos);
  CHECK(coturn.logs("username=<alice>, lifetime=600")); // the allocation, logged ...
  CHECK(coturn.log().find("lifetime=0") == std::string::npos); // ... and no release after it
}

TEST_CASE("turn probe vs coturn with a wrong password: turn.auth_failed naming user and realm") {
  test::coturn_server coturn;
  const auto r = test::run_check(turn_check(coturn.target(), credentials(coturn, "not-the-password")));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "turn.auth_failed");
  CHECK(r.outcome.message.find("user \"alice\" in realm \"edgeprobe.test\"") != std::string::npos);
  CHECK(r.outcome.message.find("not-the-password") == std::string::npos);
}

TEST_CASE("turn probe vs coturn whose nonces live 1 s: 438 Stale Nonce, retried once with the new nonce") {
  test::coturn_options options;
  options.stale_nonce_seconds = 1;
  test::coturn_server coturn(options);
  // The authenticated Allocate (the client's 2nd datagram) reaches coturn 2.5 s
  // after its challenge: the nonce is stale by then (coturn counts whole seconds).
  test::udp_middlebox late(coturn.port(), {.held_datagram = 2, .hold = std::chrono::milliseconds(2500)});
  auto check = turn_check(late.target(), credentials(coturn));
  check["timeout"] = "8s";
  const auto r = test::run_check(check);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["stale_nonce_retried"] == true);
  REQUIRE(d["exchanges"].size() == 4);
  CHECK(d["exchanges"][1]["answer"]["error"]["code"] == 438);
  CHECK(d["exchanges"][2]["request"] == "authenticated Allocate request (new nonce)");
  CHECK(d["exchanges"][2]["answer"]["class"] == "success response");
  CHECK(d["released"] == true);
}

TEST_CASE("turn probe vs coturn through a middlebox that alters answers: turn.integrity_invalid") {
  test::coturn_server coturn;
  test::udp_middlebox altering(coturn.port(), {.flip_last_byte_of_answers = true});
  const auto r = test::run_check(turn_check(altering.target()));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "turn.integrity_invalid");
  CHECK(details_of(r)["exchanges"][0]["answer"]["fingerprint"] == "invalid");
}

TEST_CASE("turn probe vs coturn asking for an IPv6 relay it cannot give: turn.error with 440") {
  test::coturn_server coturn; // relays on 127.0.0.1 only
  auto check = turn_check(coturn.target(), credentials(coturn));
  check["requested_family"] = "ipv6";
  const auto r = test::run_check(check);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "turn.error");
  CHECK(r.outcome.message.find("440") != std::string::npos);
}

TEST_CASE("turn probe vs coturn over TCP and TLS: the same allocation through a stream") {
  const auto& pki = test::shared_pki();
  test::coturn_options options;
  options.tls_cert = pki.good().chain;
  options.tls_key = pki.good().key;
  test::coturn_server coturn(options);

  auto tcp = turn_check(coturn.target(), credentials(coturn));
  tcp["transport"] = "tcp";
  const auto over_tcp = test::run_check(tcp);
  INFO(over_tcp.outcome.message);
  CHECK(over_tcp.outcome.state == status::pass);
  CHECK(details_of(over_tcp)["exchanges"][0]["transport"] == "tcp");
  CHECK(details_of(over_tcp)["connection"]["remote"] == coturn.target());
  CHECK(details_of(over_tcp)["released"] == true);

  auto tls = turn_check("127.0.0.1:" + std::to_string(coturn.tls_port()), credentials(coturn));
  tls["transport"] = "tls";
  tls["sni"] = "good.test";
  const auto over_tls = test::run_check(tls);
  INFO(over_tls.outcome.message);
  CHECK(over_tls.outcome.state == status::pass);
  const auto& d = details_of(over_tls);
  CHECK(d["tls"]["certificate"]["subject"].get<std::string>().find("CN=good.test") != std::string::npos);
  CHECK(d["exchanges"][0]["transport"] == "tls");
  CHECK(d["relayed_address"].get<std::string>().starts_with("127.0.0.1:"));
  std::vector<std::string> phases;
  for (const auto& p : over_tls.addresses.front().phases) phases.push_back(p.name);
  CHECK(phases == std::vector<std::string>{"connect", "tls", "allocate", "authenticate", "release"});
}

TEST_CASE("stun probe vs coturn: the reflexive address, as turnutils_stunclient sees it") {
  test::coturn_server coturn;
  const auto r = test::run_check({{"probe", "stun"}, {"target", coturn.target()}, {"timeout", "3s"}});
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["answer"]["mapped_address"] == d["local"]);
  CHECK(d["translated"] == false);
  const auto client = test::run_process({"turnutils_stunclient", "-p", std::to_string(coturn.port()), "127.0.0.1"});
  INFO(client.out, client.err);
  std::smatch m;
  const std::string out = client.out + client.err;
  REQUIRE(std::regex_search(out, m, std::regex(R"(UDP reflexive addr: ([0-9.]+):([0-9]+))")));
  CHECK(d["answer"]["mapped_address"].get<std::string>().starts_with(m[1].str() + ":"));

  auto over_tcp = test::run_check({{"probe", "stun"}, {"target", coturn.target()}, {"transport", "tcp"}});
  CHECK(over_tcp.outcome.state == status::pass);
  CHECK(details_of(over_tcp)["answer"]["mapped_address"] == details_of(over_tcp)["local"]);
}

TEST_CASE("turn probe: nothing listening on the UDP port: turn.port_unreachable, not a timeout") {
  const auto port = test::free_loopback_port();
  const auto r = test::run_check(turn_check("127.0.0.1:" + std::to_string(port)));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "turn.port_unreachable");
  CHECK(r.duration_ms < 1000);
}

TEST_CASE("turn probe, ms-turn dialect: the responder answers as the Edge does") {
  test::io_thread io;
  stun_responder responder(io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  responder.start();
  const auto target = "127.0.0.1:" + std::to_string(responder.local_endpoint().port());
  const auto r = test::run_check(turn_check(target, {{"dialect", "ms-turn"}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["dialect"] == "ms-turn");
  const auto& answer = d["exchanges"][0]["answer"];
  CHECK(answer["error"]["reason"] == ms_turn_challenge_text);
  CHECK(answer["attributes"][0] == "MAGIC-COOKIE");
  CHECK(d["realm"] == stun_responder_realm);
  CHECK(d["ms_version"] == 4);
  responder.stop();
}

} // TEST_SUITE

TEST_SUITE("turn") {

TEST_CASE("check turn 127.0.0.1:PORT from the command line: the realm, then an allocation shown and released") {
  test::coturn_server coturn;
  const auto plain = test::run_edgeprobe({"check", "turn", coturn.target(), "-v", "--format", "human"});
  INFO(plain.out, plain.err);
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.find("realm \"edgeprobe.test\"") != std::string::npos);

  const auto allocated = test::run_edgeprobe({"check", "turn", coturn.target(), "--set", "username=alice", "--set",
                                              "password=secret", "--format", "json"});
  INFO(allocated.out, allocated.err);
  REQUIRE(allocated.exit_code == 0);
  const auto doc = json::parse(allocated.out);
  const auto& d = doc["results"][0]["addresses"][0]["details"];
  CHECK(d["relayed_address"].get<std::string>().starts_with("127.0.0.1:"));
  CHECK(d["released"] == true);
  CHECK(allocated.out.find("secret") == std::string::npos);
}

} // TEST_SUITE
