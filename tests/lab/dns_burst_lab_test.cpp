// A resolver under load: 1,000 dns checks at concurrency 256 through a router to
// a real unbound in the server namespace. Before the resolver sized its sockets'
// receive buffers and spread queries over several sockets, the client's kernel
// dropped answers on edgeprobe's own socket (UdpRcvbufErrors), c-ares
// retransmitted a second later, and checks took over 1 s: a false dns.timeout
// at a tight timeout. The client namespace's counters say whether it happens.
#include "support/netns.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace edgeprobe;

namespace {

// The client namespace's UdpRcvbufErrors (/proc/net/snmp is per namespace).
long receive_buffer_errors(const test::netns& ns) {
  std::istringstream lines(ns.exec("grep '^Udp:' /proc/net/snmp"));
  std::string header, values;
  std::getline(lines, header);
  std::getline(lines, values);
  std::istringstream names(header), numbers(values);
  std::string name, number;
  while (names >> name && numbers >> number)
    if (name == "RcvbufErrors") return std::stol(number);
  FAIL("no RcvbufErrors in /proc/net/snmp: " << header);
  return -1;
}

void write_suite(const std::string& path, int checks, const std::string& resolver) {
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < checks; ++i)
    list.push_back({{"name", "dns " + std::to_string(i)},
                    {"probe", "dns"},
                    {"target", "n" + std::to_string(i) + ".burst.test"},
                    {"type", "A"}});
  std::ofstream(path) << nlohmann::json{{"suite", "dns-burst"},
                                        {"defaults", {{"timeout", "5s"}, {"resolver", resolver}}},
                                        {"checks", list}};
}

} // namespace

TEST_SUITE("netns") {

TEST_CASE("1,000 dns checks at concurrency 256 through a router: no answer dropped on edgeprobe's socket, none slow") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return;
  }
  test::routed_lab lab;
  test::temp_dir dir;
  const auto conf = (dir.path() / "unbound.conf").string();
  // redirect: every name under burst.test has the A record, so each check asks
  // its own question (identical ones would share one query).
  std::ofstream(conf) << "server:\n  interface: " << test::routed_lab::server_v4
                      << "\n  port: 53\n  do-ip6: no\n  num-threads: 1\n  chroot: \"\"\n  username: \"\"\n"
                         "  do-daemonize: no\n  directory: \""
                      << dir.path().string()
                      << "\"\n  pidfile: \"\"\n  use-syslog: no\n  logfile: \"\"\n  verbosity: 0\n"
                         "  access-control: 10.77.0.0/16 allow\n  module-config: \"iterator\"\n"
                         "  local-zone: \"burst.test.\" redirect\n  local-data: \"burst.test. 60 IN A 10.77.2.2\"\n";
  test::background_process unbound({"ip", "netns", "exec", lab.server.name(), "unbound", "-d", "-c", conf});
  bool up = false;
  for (int i = 0; i < 50 && !up; ++i) {
    up = lab.client.exec("dig +short +tries=1 +time=1 @10.77.2.2 burst.test A || true").find("10.77.2.2") !=
         std::string::npos;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE_MESSAGE(up, "unbound did not answer in the server namespace");

  const auto suite = (dir.path() / "burst.json").string();
  write_suite(suite, 1000, std::string(test::routed_lab::server_v4) + ":53");
  const long before = receive_buffer_errors(lab.client);
  const auto r = test::run_process({"ip", "netns", "exec", lab.client.name(), EDGEPROBE_BINARY, "run", suite,
                                    "--format", "json", "--concurrency", "256"});
  const long after = receive_buffer_errors(lab.client);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 1000);
  CHECK(after - before == 0);
  double longest = 0;
  int passed = 0, stamped = 0;
  for (const auto& c : results) {
    passed += c["status"] == "pass";
    longest = std::max(longest, c["duration_ms"].get<double>());
    stamped += c["phases"][0].contains("network_ms"); // the kernel stamped the answer's arrival
  }
  CHECK(passed == 1000);
  CHECK(stamped == 1000);
  // c-ares retransmits after 1 s: a lost answer shows as a check of a second or more.
  CHECK(longest < 500);
}

}
