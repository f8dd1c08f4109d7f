// `edgeprobe listen` and `edgeprobe demo` end to end: the binary started as a
// user would, probed through with the binary.
#include "support/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <map>

namespace {

// Ports nothing listens on right now, for listen to take.
std::uint16_t free_tcp_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

std::uint16_t free_udp_port() {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket s(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return s.local_endpoint().port();
}

nlohmann::json only_result(const edgeprobe::test::process_output& r) {
  INFO(r.err);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["results"].size() == 1);
  return doc["results"][0];
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("listen --tcp --udp: the probes go through it and report what the responder saw") {
  const auto tcp_port = std::to_string(free_tcp_port());
  const auto udp_port = std::to_string(free_udp_port());
  edgeprobe::test::background_process listen(
      {EDGEPROBE_BINARY, "listen", "--tcp", tcp_port, "--udp", udp_port, "--address", "127.0.0.1"});
  const auto banner = listen.read_until("ready");
  CHECK(banner.find("listening tcp 127.0.0.1:" + tcp_port) != std::string::npos);
  CHECK(banner.find("listening udp 127.0.0.1:" + udp_port) != std::string::npos);

  const auto tcp = only_result(edgeprobe::test::run_edgeprobe(
      {"check", "tcp", "127.0.0.1:" + tcp_port, "--set", "responder=true", "--format", "json"}));
  CHECK(tcp["status"] == "pass");
  const auto& tcp_seen = tcp["addresses"][0]["details"]["responder"];
  CHECK(tcp_seen["saw"]["address"] == "127.0.0.1");
  CHECK(tcp_seen["saw"]["port"] == tcp["addresses"][0]["details"]["local_port"]);
  CHECK(tcp_seen["translated"] == false);

  const auto udp = only_result(edgeprobe::test::run_edgeprobe(
      {"check", "udp", "127.0.0.1:" + udp_port, "--set", "send={\"text\":\"ping\"}", "--format", "json"}));
  CHECK(udp["status"] == "pass");
  const auto& udp_seen = udp["addresses"][0]["details"]["responder"];
  CHECK(udp_seen["saw"]["address"] == "127.0.0.1");
  CHECK(udp_seen["translated"] == false);

  CHECK(listen.stop(SIGINT) == 0);
}

TEST_CASE("listen --epm --tower-address: the rpc-epm probe maps an interface there and warns of the address") {
  const auto port = std::to_string(free_tcp_port());
  edgeprobe::test::background_process listen({EDGEPROBE_BINARY, "listen", "--epm", port, "--address", "127.0.0.1",
                                              "--epm-interface", "samr", "emsmdb", "--tower-address", "10.1.2.3"});
  const auto banner = listen.read_until("ready");
  CHECK(banner.find("listening epm 127.0.0.1:" + port + " (towers name 10.1.2.3)") != std::string::npos);
  CHECK(banner.find("(samr, registered with the endpoint mapper") != std::string::npos);

  const auto mapped = only_result(edgeprobe::test::run_edgeprobe(
      {"check", "rpc-epm", "127.0.0.1:" + port, "--set", "interface=samr", "--format", "json"}));
  CHECK(mapped["status"] == "warn");
  CHECK(mapped["reason"] == "epm.address_mismatch");
  CHECK(mapped["addresses"][0]["details"]["endpoints"][0]["address"] == "10.1.2.3");
  CHECK(mapped["message"].get<std::string>().find("and that port accepts connections") != std::string::npos);
  CHECK(listen.stop(SIGINT) == 0);

  const auto bad = edgeprobe::test::run_edgeprobe({"listen", "--epm", port, "--epm-interface", "nosuch"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--epm-interface nosuch") != std::string::npos);
}

TEST_CASE("listen with nothing to listen on, or a bad port list, is exit 2") {
  CHECK(edgeprobe::test::run_edgeprobe({"listen"}).exit_code == 2);
  const auto r = edgeprobe::test::run_edgeprobe({"listen", "--tcp", "80-70"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("80-70") != std::string::npos);
}

TEST_CASE("listen on a port already taken names it, in words, exit 2") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(taken.local_endpoint().port());
  const auto r = edgeprobe::test::run_edgeprobe({"listen", "--address", "127.0.0.1", "--tcp", port});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot listen on tcp 127.0.0.1:" + port + ": Address already in use") != std::string::npos);
  CHECK(r.err.find(".hpp") == std::string::npos); // no library source locations
}

TEST_CASE("demo: a realistic report from the responders on loopback, exit 0") {
  const auto r = edgeprobe::test::run_edgeprobe({"demo", "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["summary"]["fail"] == 0);
  CHECK(doc["summary"]["error"] == 0);
  CHECK(doc["summary"]["pass"].get<int>() >= 6);
  std::map<std::string, nlohmann::json> by_probe_reason;
  for (const auto& c : doc["results"]) {
    CHECK(c["status"] != "skip");
    for (const auto& a : c["addresses"])
      if (!a["reason"].is_null()) by_probe_reason[a["reason"].get<std::string>()] = c;
  }
  // A port that must be closed and is: the pass names the evidence (refused).
  CHECK(by_probe_reason.count("tcp.refused") == 1);
  CHECK(by_probe_reason.count("udp.port_unreachable") == 1);
  const auto human = edgeprobe::test::run_edgeprobe({"demo", "--format", "human", "-v"});
  CHECK(human.exit_code == 0);
  CHECK(human.out.find("PASS") != std::string::npos);
}

} // TEST_SUITE
