// The fault lab's scenario suite (tests/lab/README.md): the lab is brought up
// once by tests/lab/fault_lab.sh, the suites in tests/lab/scenarios/ run with
// `edgeprobe run` inside the client namespace (and one inside the "ports"
// namespace), and every scenario is held to its status, its reason code and
// the addresses and ports its message must name.
#include "support/fault_lab.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>

using json = nlohmann::json;

namespace {

// As the other lab tests: skipped (a doctest message) without root or `ip netns`.
bool lab_unavailable() {
  if (::geteuid() != 0) {
    MESSAGE("skipped: the fault lab needs root (network namespaces, nftables)");
    return true;
  }
  if (edgeprobe::test::run_process({"ip", "netns", "list"}).exit_code != 0) {
    MESSAGE("skipped: `ip netns` is not available");
    return true;
  }
  return false;
}

std::filesystem::path scenarios(const char* file) {
  return std::filesystem::path(EDGEPROBE_SOURCE_DIR) / "tests" / "lab" / "scenarios" / file;
}

struct scenario {
  const char* check;                // the check's name in tests/lab/scenarios/*.json
  const char* status;               // expected status
  const char* reason;               // expected reason code ("" for none)
  std::vector<std::string> names;   // what the message must name: addresses, ports
  std::function<void(json&)> evidence = {}; // more, on (a copy of) the result
};

// Non-const access throughout: a missing key reads as null instead of aborting.
json& first_address(json& result) {
  REQUIRE(result["addresses"].is_array());
  REQUIRE(!result["addresses"].empty());
  return result["addresses"][0];
}

// The whole table. "story" comments tie rows to the field stories the project grew from.
std::vector<scenario> table() {
  return {
      // --- DNS (unbound at 10.66.2.10) ---
      {"dns: SRV records of the lab zone", "pass", "", {}},
      {"dns: round-robin name has three addresses", "pass", "", {}},
      {"dns: name does not exist", "fail", "dns.nxdomain", {"10.66.2.10:53", "nosuch.lab.test"}},
      {"dns: name has no record of the type", "fail", "dns.nodata", {"10.66.2.10:53", "rr.lab.test"}},
      {"dns: the zone's servers are unreachable", "fail", "dns.servfail", {"10.66.2.10:53", "www.broken.test"}},
      {"dns: resolver refuses the zone", "fail", "dns.refused", {"10.66.2.10:53", "www.refused.test"}},
      {"dns: resolver behind a dropping firewall", "fail", "dns.timeout", {"10.66.2.11:53"}},
      {"dns: answer differs from expected", "fail", "dns.unexpected_answer", {"10.66.2.20", "10.66.2.21"}},
      {"dns: name to connect to has no IPv4 address", "fail", "dns.no_address", {"v6only.lab.test"}},

      // --- TCP (responder on 10.66.2.30-33; router 10.66.1.1) ---
      {"tcp: open port with the responder", "pass", "", {"10.66.2.30:9000"}},
      // story: a wrong port (RST)
      {"tcp: wrong port (RST)", "fail", "tcp.refused", {"10.66.2.30:9001", "RST"}},
      // story: SYN-ACKs lost, the client times out after its SYN retries while the server saw the SYN
      {"tcp: SYN-ACKs lost on the way back", "fail", "tcp.timeout", {"10.66.2.30:9002", "3 SYNs"},
       [](json& r) { CHECK(first_address(r)["details"]["syns_sent"].get<int>() >= 3); }},
      // story: ICMP host-unreachable from a filtering router
      {"tcp: ICMP host-unreachable from a filtering router", "fail", "tcp.host_unreachable",
       {"10.66.1.1", "10.66.2.30"},
       [](json& r) {
         auto& icmp = first_address(r)["details"]["error"]["icmp"];
         CHECK(icmp["type"] == 3);
         CHECK(icmp["code"] == 1);
         CHECK(icmp["from"] == "10.66.1.1");
       }},
      {"tcp: ICMP net-unreachable from a router", "fail", "tcp.net_unreachable", {"10.66.1.1", "10.66.2.30"}},
      {"tcp: ICMP admin-prohibited from a router", "fail", "tcp.admin_prohibited", {"10.66.1.1", "10.66.2.30:9005"}},
      {"tcp: no route on this host", "fail", "tcp.no_route", {"10.66.200.1"}},
      {"tcp: reset after the handshake", "fail", "tcp.reset", {"10.66.2.30:9006"}},
      {"tcp: peer advertises a zero window", "fail", "tcp.zero_window", {"10.66.2.30:9007"}},
      // story: a small MSS
      {"tcp: MSS clamped on the path", "fail", "tcp.small_mss", {"10.66.2.30:9008", "536", "1200"},
       [](json& r) { CHECK(first_address(r)["details"]["tcp_info"]["path_mss"] == 536); }},
      {"tcp: first SYN lost, slow connect", "fail", "tcp.slow_connect", {"10.66.2.30:9009", "2 SYNs"}},
      // story: a source-port block (some ephemeral ports dropped by a host policy)
      {"tcp: source ports blocked by a host policy", "fail", "tcp.source_port_blocked",
       {"41002", "41003", "10.66.2.32:9000", "4 other"},
       [](json& r) {
         auto& d = first_address(r)["details"];
         CHECK(d["open_ports"] == json({41000, 41001, 41004, 41005}));
         CHECK(d["failed_ports"] == json({41002, 41003}));
       }},
      // story: a round-robin name where one address refuses
      {"tcp: round-robin name with one refusing address", "warn", "tcp.refused", {"1 of 3", "10.66.2.31:9000"},
       [](json& r) {
         REQUIRE(r["addresses"].size() == 3);
         std::map<std::string, std::string> by_address;
         for (auto& a : r["addresses"]) by_address[a["address"].dump()] = a["status"].dump();
         const std::map<std::string, std::string> expected{
             {"\"10.66.2.30\"", "\"pass\""}, {"\"10.66.2.31\"", "\"fail\""}, {"\"10.66.2.32\"", "\"pass\""}};
         CHECK(by_address == expected);
       }},
      {"tcp: banner is another service's", "fail", "tcp.banner_mismatch", {"10.66.2.30:9000", "SSH"}},
      {"tcp: port must be closed but is open", "fail", "tcp.unexpectedly_open", {"10.66.2.30:9000"}},
      {"tcp: port must be filtered but answers RST", "fail", "tcp.unexpectedly_closed", {"10.66.2.30:9001"}},
      {"tcp: NAT on the path", "fail", "path.address_translated", {"10.66.2.33:9000", "10.66.2.1", "10.66.1.2"}},

      // --- TLS (nginx on 10.66.2.20-24, the lab's PKI) ---
      {"tls: the right listener", "pass", "", {"10.66.2.20:443"}},
      // story: TLS served with the wrong certificate because DNS points at the wrong listener
      {"tls: DNS points at the wrong listener", "fail", "tls.cert.name_mismatch",
       {"10.66.2.21:443", "other.lab.test", "www.lab.test"}},
      // story: an expired or untrusted certificate
      {"tls: expired certificate", "fail", "tls.cert.expired", {"10.66.2.22:443", "expired.lab.test"}},
      {"tls: untrusted certificate", "fail", "tls.cert.untrusted", {"10.66.2.22:8443", "other-root"}},
      {"tls: untrusted leaf sent without its issuer", "fail", "tls.cert.chain_incomplete",
       {"10.66.2.22:8444", "other-root"}},
      // story: a server asking for a client certificate with a huge CA list
      {"tls: client certificate asked for with a huge CA list", "warn", "tls.client_ca_list_large",
       {"10.66.2.23:443", "16384"},
       [](json& r) {
         auto& request = first_address(r)["details"]["tls"]["client_certificate"];
         CHECK(request["requested"] == true);
         CHECK(request["ca_names"].size() == 81); // the lab root and 80 long-named roots (fault_lab.sh)
         CHECK(request["ca_list_bytes"].get<int>() > 16384);
       }},
      {"tls: client certificate asked for where it must not be", "fail", "tls.client_cert_required",
       {"10.66.2.23:443"}},
      {"tls: client CA list too large", "fail", "tls.client_ca_list_large", {"10.66.2.23:443", "16384"}},
      {"tls: ClientHello black-holed after the TCP handshake", "fail", "check.timeout", {"10.66.2.20:8443", "tls"}},
      {"tls: port speaks something else", "fail", "tls.not_tls", {"10.66.2.30:9000", "EDGEPROBE-RESPONDER"}},
      {"tls: server offers only TLS 1.2", "fail", "tls.version_too_low", {"10.66.2.24:443", "TLSv1.2"}},
      {"tls: no TLS version in common", "fail", "tls.handshake_failed", {"10.66.2.24:443", "protocol version"}},

      // --- HTTP (nginx on 10.66.2.20:80 and :8080) ---
      {"http: the reverse proxy answers", "pass", "", {}},
      {"http: a proxy holding the request (its backend black-holed)", "fail", "http.no_response",
       {"10.66.2.20:80", "no answer before the deadline"}},
      {"http: an IPS resets the request", "fail", "tcp.reset", {"10.66.2.20:8080", "reset before any answer"}},

      // --- UDP (responder on 10.66.2.70) ---
      {"udp: responder answers", "pass", "", {}},
      {"udp: nothing listens", "fail", "udp.port_unreachable", {"10.66.2.70:7001"}},
      {"udp: datagrams dropped", "fail", "udp.no_response", {"10.66.2.70:7002", "3 datagrams"}},
      {"udp: another service answers", "fail", "udp.reply_mismatch", {"10.66.2.70:7000", "PONG"}},
      {"udp: port must be closed but answers", "fail", "udp.unexpectedly_open", {"10.66.2.70:7000"}},

      // --- TURN (coturn on 10.66.2.60/61) ---
      {"turn: relay allocates", "pass", "", {"10.66.2.60:3478"}},
      {"turn: UDP to the relay dropped", "fail", "turn.no_response", {"10.66.2.61:3478"}},
      {"turn: nothing listens on the port", "fail", "turn.port_unreachable", {"10.66.2.70:3478"}},
      {"turn: bad password", "fail", "turn.auth_failed", {"10.66.2.60:3478", "alice"},
       [](json& r) { CHECK(r.dump().find("not-alices-password") == std::string::npos); }},
      {"turn: port forwarded to another service", "fail", "turn.malformed", {"10.66.2.70:7000"}},
      // the asymmetric-UDP-replies fault (a stateless rewrite on the router)
      {"turn: reply from another address", "warn", "turn.reply_from_other_address",
       {"10.66.2.60:3478", "10.66.9.60:3478"}},

      // --- SQL Server Browser (responders on 10.66.2.40, 42, 43) ---
      // story: UDP replies from another address (clustered SQL Browser)
      {"sqlbrowser: clustered instance replies from the node", "warn", "sqlbrowser.reply_from_other_address",
       {"10.66.2.41:1434", "10.66.2.40:1434"}},
      {"sqlbrowser: UDP 1434 dropped", "fail", "sqlbrowser.no_response", {"10.66.2.42:1434"}},
      {"sqlbrowser: Browser not running", "fail", "sqlbrowser.port_unreachable", {"10.66.2.70:1434"}},
      {"sqlbrowser: port forwarded to another service", "fail", "sqlbrowser.malformed", {"10.66.2.70:7000"}},
      {"sqlbrowser: instance port blocked", "fail", "sqlbrowser.instance_unreachable", {"10.66.2.43:14341", "HR"}},
      {"sqlbrowser: instance reachable", "pass", "", {"14340"}},

      // --- RPC endpoint mapper (samba-dcerpcd on 10.66.2.50/51) ---
      {"epm: samr mapped and reachable", "pass", "", {"10.66.2.50:135"}},
      // story: an endpoint mapper behind a NAT/load balancer answering with its own address
      {"epm: behind NAT, answers with its own address", "warn", "epm.address_mismatch", {"10.66.9.50", "10.66.2.50:"}},
      {"epm: port forwarded to another service", "fail", "epm.malformed", {"10.66.2.30:9000"}},
      // story: a dynamic RPC port blocked while 135 is open
      {"epm: dynamic RPC port blocked, 135 open", "fail", "epm.dynamic_port_unreachable",
       {"10.66.2.51:135", "10.66.2.51:"},
       [](json& r) {
         const auto port = first_address(r)["details"]["port"].get<int>();
         CHECK(port != 135);
         CHECK(r["message"].get<std::string>().find("10.66.2.51:" + std::to_string(port)) != std::string::npos);
       }},

      // --- the "ports" namespace ---
      // story: this host out of ephemeral ports
      {"tcp: this host is out of ephemeral ports", "error", "tcp.local_ports_exhausted",
       {"10.66.2.30:9000", "EADDRNOTAVAIL"}},
  };
}

void check_scenario(const scenario& s, const std::map<std::string, json>& results) {
  const std::string check = s.check;
  CAPTURE(check);
  const auto found = results.find(check);
  REQUIRE_MESSAGE(found != results.end(), "no result for this scenario");
  json r = found->second;
  const std::string message = r["message"].is_string() ? r["message"].get<std::string>() : "";
  INFO("message: " << message);
  const std::string status = r["status"].is_string() ? r["status"].get<std::string>() : "";
  const std::string reason = r["reason"].is_string() ? r["reason"].get<std::string>() : "";
  CHECK(status == std::string(s.status));
  CHECK(reason == std::string(s.reason));
  for (const auto& name : s.names) {
    CAPTURE(name);
    CHECK(message.find(name) != std::string::npos);
  }
  if (s.evidence) s.evidence(r);
}

std::map<std::string, json> by_name(json document) {
  std::map<std::string, json> out;
  REQUIRE(document["results"].is_array());
  for (auto& r : document["results"]) out[r["name"].is_string() ? r["name"].get<std::string>() : r["name"].dump()] = r;
  return out;
}

// Every process whose command line mentions `text`.
std::vector<std::string> processes_mentioning(const std::string& text) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(::getpid())) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    if (cmdline.find(text) != std::string::npos) found.push_back(pid + ": " + cmdline);
  }
  return found;
}

std::vector<std::string> namespaces_named(const std::string& prefix) {
  std::vector<std::string> found;
  if (!std::filesystem::exists("/run/netns")) return found;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns"))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) found.push_back(entry.path().filename().string());
  return found;
}

} // namespace

TEST_SUITE("lab") {

TEST_CASE("fault lab: every scenario has its status, reason code and the addresses in its message") {
  if (lab_unavailable()) return;
  edgeprobe::test::fault_lab lab;
  const auto started = std::chrono::steady_clock::now();

  // One run with every scenario in parallel: their faults are keyed by address and port.
  auto results = by_name(lab.run("client", {scenarios("dns.json"), scenarios("tcp.json"), scenarios("tls.json"),
                                            scenarios("http.json"), scenarios("udp.json"), scenarios("rpc.json")}));
  for (auto& [name, r] : by_name(lab.run("ports", {scenarios("ports.json")}))) results[name] = r;
  MESSAGE("scenario runs took " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - started).count() << " ms");

  const auto rows = table();
  std::set<std::string> expected;
  for (const auto& s : rows) {
    expected.insert(s.check);
    check_scenario(s, results);
  }
  // No scenario in the suites without a row here.
  for (const auto& [name, r] : results) {
    CAPTURE(name);
    CHECK(expected.count(name) == 1);
  }

  // The lost-SYN-ACK story: the server did see the SYNs (a counter in its own nftables).
  const auto counter = edgeprobe::test::run_process(
      {"ip", "netns", "exec", lab.ns("server"), "nft", "-j", "list", "counter", "inet", "host", "syn_9002"});
  REQUIRE(counter.exit_code == 0);
  auto listed = json::parse(counter.out);
  std::int64_t packets = -1;
  for (auto& item : listed["nftables"])
    if (item.contains("counter")) packets = item["counter"]["packets"].get<std::int64_t>();
  CHECK(packets >= 3);
}

TEST_CASE("fault lab: a step that fails tears down everything already built") {
  if (lab_unavailable()) return;
  char pattern[] = "/tmp/edgeprobe-fault-lab-XXXXXX";
  REQUIRE(::mkdtemp(pattern));
  const std::string dir = pattern;
  // The last step: every server is already running when it fails.
  const auto up = edgeprobe::test::fault_lab_command({"up", dir}, {"FAULT_LAB_FAIL_AT=faults"});
  INFO(up.out, up.err);
  CHECK(up.exit_code != 0);
  // Every server had been started and answered (each step waits for that) before the failure.
  CHECK(up.err.find("fault_lab: responders") != std::string::npos);
  CHECK(up.err.find("failing at step 'faults' on purpose") != std::string::npos);
  CHECK(up.err.find("fault_lab: down") != std::string::npos);
  // Nothing left: the directory, the namespaces (and the veths in them), the processes.
  CHECK_FALSE(std::filesystem::exists(dir));
  CHECK(processes_mentioning(dir).empty());
  const auto id_at = up.err.find("lab id ");
  REQUIRE(id_at != std::string::npos);
  const auto id = up.err.substr(id_at + 7, up.err.find(' ', id_at + 7) - id_at - 7);
  CHECK(namespaces_named("fl" + id + "-").empty());
  // The host's own namespace never had the lab's interfaces.
  const auto links = edgeprobe::test::run_process({"ip", "-o", "link"});
  for (const char* veth : {" c0@", " r0@", " r1@", " r2@", " s0@", " p0@"})
    CHECK(links.out.find(veth) == std::string::npos);
}

} // TEST_SUITE
