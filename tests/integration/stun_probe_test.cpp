// The stun and turn probes against edgeprobe's own peers on loopback: the stun
// responder (mapped address, answers from another port), the udp responder
// (another protocol answering), and a TCP service that is not STUN.
#include "probes/stun/responder.hpp"
#include "probes/udp/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/scripted_peer.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/ip/udp.hpp>
#include <doctest/doctest.h>

#include <thread>

using namespace edgeprobe;
using json = nlohmann::json;
using udp = net::ip::udp;
using test::details_of;
using test::reason_of;

namespace {

// Receives on one socket and answers through another (another port): a relay
// whose answers leave from an address the client never asked.
struct answering_from_another_port {
  answering_from_another_port() : in(io, {net::ip::make_address("127.0.0.1"), 0}), out(io, {net::ip::make_address("127.0.0.1"), 0}) {
    thread = std::thread([this] {
      std::vector<std::uint8_t> buffer(2048);
      udp::endpoint from;
      boost::system::error_code ec;
      const auto n = in.receive_from(net::buffer(buffer), from, 0, ec);
      if (ec) return;
      if (auto answer = stun_responder_answer(std::span(buffer.data(), n), from, out.local_endpoint(), "n0nce"))
        out.send_to(net::buffer(*answer), from, 0, ec);
    });
  }
  ~answering_from_another_port() { thread.join(); }
  std::string target() const { return "127.0.0.1:" + std::to_string(in.local_endpoint().port()); }

  net::io_context io;
  udp::socket in, out;
  std::thread thread;
};

} // namespace

TEST_SUITE("turn") {

TEST_CASE("stun probe vs the stun responder: the mapped address is this host's own, and the responder's origin") {
  test::io_thread io;
  stun_responder responder(io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  responder.start();
  const auto target = "127.0.0.1:" + std::to_string(responder.local_endpoint().port());
  const auto r = test::run_check({{"probe", "stun"}, {"target", target}});
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["answer"]["mapped_address"] == d["local"]);
  CHECK(d["answer"]["response_origin"] == target);
  CHECK(d["answer"]["software"] == "edgeprobe responder");
  CHECK(d["answer"]["fingerprint"] == "valid");
  CHECK(d["exchange"]["transmissions"].size() == 1);
  CHECK(r.outcome.message.find("this host is seen as " + d["local"].get<std::string>()) != std::string::npos);
  responder.stop();
}

TEST_CASE("stun probe: the answer comes from another port: accepted, turn.reply_from_other_address (warn)") {
  answering_from_another_port relay;
  const auto r = test::run_check({{"probe", "stun"}, {"target", relay.target()}, {"timeout", "2s"}});
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::warn);
  CHECK(reason_of(r) == "turn.reply_from_other_address");
  CHECK(details_of(r)["reply_from"] != relay.target());
}

TEST_CASE("stun and turn probes: another service answers: turn.malformed with its first bytes") {
  test::io_thread io;
  udp_responder greeter(io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  greeter.start();
  const auto target = "127.0.0.1:" + std::to_string(greeter.local_endpoint().port());
  const auto stun = test::run_check({{"probe", "stun"}, {"target", target}});
  CHECK(reason_of(stun) == "turn.malformed");
  CHECK(stun.outcome.message.find("EDGEPROBE-RESPONDER") != std::string::npos);
  const auto turn = test::run_check({{"probe", "turn"}, {"target", target}});
  CHECK(reason_of(turn) == "turn.malformed");
  greeter.stop();

  // Over TCP: an HTTP server where the relay should be.
  test::scripted_peer http({"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"});
  const auto tcp = test::run_check({{"probe", "turn"}, {"target", http.target()}, {"transport", "tcp"}});
  CHECK(reason_of(tcp) == "turn.malformed");
  CHECK(tcp.outcome.message.find("HTTP/1.1 400") != std::string::npos);
}

TEST_CASE("turn probe with credentials vs the responder, which grants none: turn.auth_failed") {
  test::io_thread io;
  stun_responder responder(io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  responder.start();
  const auto target = "127.0.0.1:" + std::to_string(responder.local_endpoint().port());
  const auto r = test::run_check(
      {{"probe", "turn"}, {"target", target}, {"username", "bob"}, {"password", "hunter2"}});
  CHECK(reason_of(r) == "turn.auth_failed");
  CHECK(r.outcome.message.find("hunter2") == std::string::npos);
  CHECK(details_of(r).dump().find("hunter2") == std::string::npos);
  responder.stop();
}

TEST_CASE("turn options: mistakes are suite errors with pointer, position and a suggestion") {
  test::temp_dir dir;
  const auto suite = dir.write("edge.json", R"({"suite": "s", "checks": [
  {"name": "a", "probe": "turn", "target": "av.contoso.test:443", "dialect": "ms-turn", "transport": "tcp"},
  {"name": "b", "probe": "turn", "target": "turn.contoso.test", "username": "monitor"},
  {"name": "c", "probe": "turn", "target": "turn.contoso.test", "expect": {"outcome": "allocated"}}]})");
  const auto r = test::run_edgeprobe({"validate", suite.string()});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(suite.string() + ":2:") != std::string::npos);
  CHECK(r.err.find("/checks/0/transport: ms-turn is supported over udp only") != std::string::npos);
  CHECK(r.err.find("/checks/1/username: a username needs a password") != std::string::npos);
  CHECK(r.err.find("/checks/2/expect/outcome: outcome \"allocated\" needs credentials") != std::string::npos);
  CHECK(r.err.find("3 errors") != std::string::npos);
}

} // TEST_SUITE
