// The rpc-epm probe against the real endpoint mapper: Samba's samba-dcerpcd
// (standalone, private smb.conf) in the server namespace of a routed lab, its
// ports cross-checked with impacket's hept_map from the client namespace. The
// router plays the two field stories: a DNAT'ed "virtual" address in front of
// the server, and a firewall that opens 135 but not the dynamic RPC range.
#include "support/check_runner.hpp"
#include "support/process.hpp"
#include "support/samba_epm.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <regex>

using namespace edgeprobe;
using test::details_of;
using test::reason_of;

namespace {

bool lab_possible() {
  if (::geteuid() != 0) {
    MESSAGE("skipped: network namespaces need root");
    return false;
  }
  return true;
}

// impacket's answer for an interface: the port of "ncacn_ip_tcp:ADDRESS[PORT]".
int impacket_port(const test::samba_epm& samba, const std::string& uuid_expression, const std::string& module) {
  const auto out = samba.python_in_client("from impacket.dcerpc.v5 import epm, " + module + "; print(epm.hept_map(\"" +
                                          std::string(test::routed_lab::server_v4) + "\", " + uuid_expression +
                                          ", protocol=\"ncacn_ip_tcp\"))");
  std::smatch m;
  const std::string binding = "ncacn_ip_tcp:" + std::string(test::routed_lab::server_v4) + R"(\[([0-9]+)\])";
  REQUIRE_MESSAGE(std::regex_search(out, m, std::regex(binding)), out);
  return std::stoi(m[1]);
}

} // namespace

TEST_SUITE("netns") {

TEST_CASE("rpc-epm vs Samba: samr and winreg mapped to the ports impacket sees, and reachable, unknown UUID not registered") {
  if (!lab_possible()) return;
  test::samba_epm samba;
  const auto inside = samba.lab().client.enter();

  const auto samr = test::run_check({{"probe", "rpc-epm"}, {"target", samba.target()}, {"interface", "samr"}});
  INFO(samr.outcome.message);
  CHECK(samr.outcome.state == status::pass);
  const auto samr_port = details_of(samr)["port"].get<int>();
  CHECK(samr_port == impacket_port(samba, "samr.MSRPC_UUID_SAMR", "samr"));
  CHECK(details_of(samr)["endpoints"][0]["address"] == test::routed_lab::server_v4);
  CHECK(details_of(samr)["dynamic_connection"]["connect_ms"].is_number());

  const auto winreg = test::run_check({{"probe", "rpc-epm"}, {"target", samba.target()}, {"interface", "winreg"}});
  CHECK(winreg.outcome.state == status::pass);
  CHECK(details_of(winreg)["port"].get<int>() == impacket_port(samba, "rrp.MSRPC_UUID_RRP", "rrp"));

  const auto unknown = test::run_check(
      {{"probe", "rpc-epm"}, {"target", samba.target()}, {"interface", "12345678-1234-1234-1234-123456789abc"}});
  CHECK(reason_of(unknown) == "epm.not_registered");

  // Samba answers ept_lookup with every registration (and the end status) at once.
  const auto listed = test::run_check({{"probe", "rpc-epm"}, {"target", samba.target()}, {"list", true}});
  CHECK(listed.outcome.state == status::pass);
  const auto& registrations = details_of(listed)["registrations"];
  CHECK(registrations.size() >= 10);
  CHECK(std::any_of(registrations.begin(), registrations.end(), [&](const nlohmann::json& e) {
    return e["name"] == "samr" && e.value("port", 0) == samr_port;
  }));
}

TEST_CASE("edgeprobe check rpc-epm HOST:135 --set interface=samr vs Samba: pass, the dynamic port impacket reports") {
  if (!lab_possible()) return;
  test::samba_epm samba;
  const auto r = test::run_process({"ip", "netns", "exec", samba.lab().client.name(), EDGEPROBE_BINARY, "check",
                                    "rpc-epm", samba.target(), "--set", "interface=samr", "--format", "json"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  const auto result = nlohmann::json::parse(r.out)["results"][0];
  CHECK(result["status"] == "pass");
  const auto port = result["addresses"][0]["details"]["port"].get<int>();
  CHECK(port == impacket_port(samba, "samr.MSRPC_UUID_SAMR", "samr"));
  CHECK(result["message"].get<std::string>().find("on port " + std::to_string(port) + ", and that port accepts") !=
        std::string::npos);
}

TEST_CASE("rpc-epm vs Samba behind a DNAT'ed virtual address: epm.address_mismatch names both") {
  if (!lab_possible()) return;
  test::samba_epm samba;
  // 10.77.9.9 exists only as a DNAT rule on the router, as a load balancer's VIP does.
  samba.lab().router.nft(R"(table ip nat {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    ip daddr 10.77.9.9 meta l4proto tcp dnat to 10.77.2.2
  }
})");
  const auto inside = samba.lab().client.enter();
  const auto r = test::run_check({{"probe", "rpc-epm"}, {"target", "10.77.9.9:135"}, {"interface", "samr"}});
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::warn);
  CHECK(reason_of(r) == "epm.address_mismatch");
  CHECK(r.outcome.message.find("10.77.2.2:") != std::string::npos);
  CHECK(r.outcome.message.find("not to 10.77.9.9") != std::string::npos);
  CHECK(details_of(r)["dynamic_connection"]["connect_ms"].is_number()); // through the VIP, the port answers
  CHECK(r.outcome.message.find(", and that port accepts connections") != std::string::npos);
}

TEST_CASE("edgeprobe check rpc-epm VIP:135 vs Samba behind a DNAT of 135 only: the refused dynamic port is the reason, "
          "epm.address_mismatch stays in details.problems") {
  if (!lab_possible()) return;
  test::samba_epm samba;
  // The router owns the VIP, as a load balancer does, and forwards only 135 to
  // the server: the dynamic port the tower names, asked at the VIP, is refused.
  samba.lab().router.exec("ip addr add 10.77.9.9/32 dev lo");
  samba.lab().router.nft(R"(table ip nat {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    ip daddr 10.77.9.9 tcp dport 135 dnat to 10.77.2.2
  }
})");
  const auto run = test::run_process({"ip", "netns", "exec", samba.lab().client.name(), EDGEPROBE_BINARY, "check",
                                      "rpc-epm", "10.77.9.9:135", "--set", "interface=samr", "--format", "json"});
  INFO(run.out, run.err);
  CHECK(run.exit_code == 1);
  const auto result = nlohmann::json::parse(run.out)["results"][0];
  CHECK(result["status"] == "fail");
  CHECK(result["reason"] == "epm.dynamic_port_unreachable");
  CHECK(result["message"].get<std::string>().find("tcp.refused") != std::string::npos);
  const auto& problems = result["details"]["problems"];
  REQUIRE(problems.size() == 2);
  CHECK(problems[0]["reason"] == "epm.address_mismatch");
  CHECK(problems[0]["status"] == "warn");
  CHECK(problems[0]["address"] == "10.77.9.9:135");
  CHECK(problems[0]["message"].get<std::string>().find("10.77.2.2:") != std::string::npos);
  CHECK(problems[1]["reason"] == "epm.dynamic_port_unreachable");
  CHECK(problems[1]["status"] == "fail");
  const auto& at_address = result["addresses"][0]["details"]["problems"];
  REQUIRE(at_address.size() == 2);
  CHECK(at_address[0]["reason"] == "epm.address_mismatch");
  CHECK(at_address[1]["reason"] == "epm.dynamic_port_unreachable");
}

TEST_CASE("rpc-epm vs Samba behind a firewall that opens only 135: epm.dynamic_port_unreachable at the deadline") {
  if (!lab_possible()) return;
  test::samba_epm samba;
  samba.lab().router.nft(R"(table inet filter {
  chain forward {
    type filter hook forward priority 0;
    ip daddr 10.77.2.2 tcp dport != 135 drop
  }
})");
  const auto inside = samba.lab().client.enter();
  const auto r = test::run_check(
      {{"probe", "rpc-epm"}, {"target", samba.target()}, {"interface", "samr"}, {"timeout", "2s"}});
  INFO(r.outcome.message);
  CHECK(reason_of(r) == "epm.dynamic_port_unreachable");
  CHECK(r.outcome.message.find("tcp.timeout") != std::string::npos);
  CHECK(details_of(r)["port"].is_number());
  CHECK(details_of(r)["dynamic_connection"]["syns_sent"].get<int>() >= 1);
}

} // TEST_SUITE
