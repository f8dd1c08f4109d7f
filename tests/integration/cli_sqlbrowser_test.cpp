// The sqlbrowser probe and `edgeprobe listen --sqlbrowser` end to end, as a user
// runs them: the clustered-instance story on the command line, and the
// responder's answers read back by independent tools — FreeTDS's `tsql -LH`,
// nmap's service detection, and Wireshark's TDS dissector for the PRELOGIN
// bytes the probe sends and the stand-in answers.
#include "probes/sqlbrowser/prelogin.hpp"
#include "probes/sqlbrowser/prelogin_responder.hpp"
#include "support/process.hpp"
#include "support/tshark.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <csignal>
#include <regex>

using namespace edgeprobe;

namespace {

// `edgeprobe listen --sqlbrowser PORT` with the given extra arguments; returns
// the TCP port its SALES stand-in got, read from the banner.
std::string sales_port_of(const std::string& banner) {
  std::smatch m;
  REQUIRE(std::regex_search(banner, m, std::regex(R"(listening sql [0-9.]+:([0-9]+) \(instance SALES)")));
  return m[1];
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("check sqlbrowser HOST --set instance=SALES vs a clustered Browser: warn, both addresses, port, connect") {
  const auto port = std::to_string(test::free_loopback_port());
  test::background_process listen({EDGEPROBE_BINARY, "listen", "--sqlbrowser", port, "--address", "127.0.0.1",
                                   "--reply-from", "127.0.0.2", "--sql-instance", "SALES", "HR"});
  const auto banner = listen.read_until("ready");
  CHECK(banner.find("listening sqlbrowser 127.0.0.1:" + port + " (answers from 127.0.0.2") != std::string::npos);
  const auto sales_port = sales_port_of(banner);

  const auto r = test::run_edgeprobe({"check", "sqlbrowser", "127.0.0.1:" + port, "--set", "instance=SALES",
                                      "--format", "json"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0); // warn is not a failure
  const auto result = nlohmann::json::parse(r.out)["results"][0];
  CHECK(result["status"] == "warn");
  const auto& a = result["addresses"][0];
  CHECK(a["reason"] == "sqlbrowser.reply_from_other_address");
  const auto message = a["message"].get<std::string>();
  CHECK(message.find("127.0.0.2:" + port) != std::string::npos);
  CHECK(message.find("127.0.0.1:" + port) != std::string::npos);
  CHECK(a["details"]["reply_from"] == "127.0.0.2:" + port);
  CHECK(std::to_string(a["details"]["tcp_port"].get<int>()) == sales_port);
  CHECK(a["details"]["connection"]["connect_ms"].is_number());
  CHECK(a["details"]["instances"][0]["clustered"] == true);

  // The terminal report says the same in words.
  const auto human = test::run_edgeprobe(
      {"check", "sqlbrowser", "127.0.0.1:" + port, "--set", "instance=SALES", "--format", "human"});
  CHECK(human.out.find("WARN") != std::string::npos);
  CHECK(human.out.find("sqlbrowser.reply_from_other_address") != std::string::npos);
  CHECK(human.out.find("answered from 127.0.0.2:" + port) != std::string::npos);
  CHECK(human.out.find("SALES is at TCP " + sales_port + " (version 15.0.2000.5), and accepts connections there") !=
        std::string::npos);
  CHECK(listen.stop(SIGINT) == 0);
}

TEST_CASE("listen --sql-instance with a bad port, or --reply-from that is not an address: exit 2, named") {
  auto r = test::run_edgeprobe({"listen", "--sqlbrowser", "0", "--sql-instance", "SALES=70000"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--sql-instance SALES=70000") != std::string::npos);
  r = test::run_edgeprobe({"listen", "--sqlbrowser", "0", "--reply-from", "node2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--reply-from node2: not an IP address") != std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("sqlbrowser") {

TEST_CASE("tsql -LH and nmap -sV read the Browser responder's instance list the way the probe does") {
  // Both tools only ask UDP 1434: the responder needs that port, so root.
  if (::geteuid() != 0) {
    MESSAGE("skipped: tsql and nmap ask UDP 1434, which needs root to bind");
    return;
  }
  const std::string address = "127.0.0.34"; // a loopback address of its own: 1434 on 127.0.0.1 may be in use
  test::background_process listen({EDGEPROBE_BINARY, "listen", "--sqlbrowser", "1434", "--address", address,
                                   "--sql-instance", "SALES", "HR=0"});
  const auto sales_port = sales_port_of(listen.read_until("ready"));

  const auto tsql = test::run_process({"tsql", "-LH", address});
  const auto listed = tsql.out + tsql.err; // tsql writes the list to stderr
  INFO(listed);
  CHECK(tsql.exit_code == 0);
  CHECK(std::regex_search(listed, std::regex(R"(InstanceName SALES\s+IsClustered No\s+Version 15\.0\.2000\.5\s+tcp )" +
                                               sales_port)));
  CHECK(listed.find("InstanceName HR") != std::string::npos);

  const auto nmap = test::run_process({"nmap", "-n", "-sU", "-sV", "-p1434", address});
  INFO(nmap.out);
  CHECK(nmap.out.find("Microsoft SQL Server 15.0.2000.5") != std::string::npos);
  CHECK(nmap.out.find("TCPPort: " + sales_port) != std::string::npos);

  const auto probe = test::run_edgeprobe({"check", "sqlbrowser", address + ":1434", "--format", "json"});
  const auto report = nlohmann::json::parse(probe.out);
  const auto& instances = report["results"][0]["addresses"][0]["details"]["instances"];
  REQUIRE(instances.size() == 2);
  CHECK(std::to_string(instances[0]["tcp_port"].get<int>()) == sales_port);
  CHECK(listen.stop(SIGINT) == 0);
}

TEST_CASE("tshark's TDS dissector reads the probe's PRELOGIN and the stand-in's answer") {
  tds::client_prelogin hello;
  hello.instance = "SALES";
  const auto request = *tds::build_client_prelogin(hello);
  const auto asked = test::tshark_decode_tcp(request, 50000, 1433);
  INFO(asked);
  CHECK(asked.find("Type: TDS7 pre-login message (18)") != std::string::npos);
  CHECK(asked.find("InstOpt: SALES") != std::string::npos);
  CHECK(asked.find("Encryption: Encryption is available but off (0)") != std::string::npos);
  CHECK(asked.find("Malformed") == std::string::npos);

  const auto answer = *sql_prelogin_answer(request, {{15, 0, 2000, 0}, "SALES"});
  const auto answered = test::tshark_decode_tcp(answer, 1433, 50000);
  INFO(answered);
  CHECK(answered.find("Type: Response (4)") != std::string::npos);
  CHECK(answered.find("Version: 15.0.2000") != std::string::npos);
  CHECK(answered.find("MARS: Off (0)") != std::string::npos);
  CHECK(answered.find("Malformed") == std::string::npos);
}

} // TEST_SUITE
