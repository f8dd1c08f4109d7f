// `edgeprobe check dns` from the command line against a real unbound on loopback,
// its answers cross-checked with dig: the one-liner an engineer types first.
#include "support/process.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

using edgeprobe::test::run_edgeprobe;

TEST_SUITE("dns") {

TEST_CASE("check dns NAME --set type=SRV --resolver ADDR: the SRV records dig sees, exit 0") {
  edgeprobe::test::unbound_server unbound;
  const auto r = run_edgeprobe({"check", "dns", "_sip._tls.lab.test", "--set", "type=SRV", "--resolver",
                                unbound.address(), "--timeout", "2s", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& check = doc["results"][0];
  CHECK(check["status"] == "pass");
  CHECK(check["probe"] == "dns");

  std::vector<std::string> ours;
  for (const auto& a : check["details"]["answers"]) {
    CHECK(a["type"] == "SRV");
    ours.push_back(a["data"].get<std::string>());
  }
  const auto digs = edgeprobe::test::dig_as_probe(unbound.port(), "_sip._tls.lab.test", "SRV");
  std::sort(ours.begin(), ours.end());
  REQUIRE(digs.size() == 2);
  CHECK(ours == digs);
}

TEST_CASE("check dns for a missing name: exit 1, dns.nxdomain, and the hint on a terminal-style report") {
  edgeprobe::test::unbound_server unbound;
  const auto json = run_edgeprobe({"check", "dns", "missing.lab.test", "--resolver", unbound.address(), "--timeout",
                                   "2s", "--format", "json"});
  CHECK(json.exit_code == 1);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["results"][0]["reason"] == "dns.nxdomain");
  CHECK(doc["results"][0]["details"]["rcode"] == "NXDOMAIN");

  const auto human = run_edgeprobe({"check", "dns", "missing.lab.test", "--resolver", unbound.address(), "--timeout",
                                    "2s", "--format", "human"});
  CHECK(human.exit_code == 1);
  CHECK(human.out.find("dns.nxdomain") != std::string::npos);
  CHECK(human.out.find("FAIL") != std::string::npos);
}

} // TEST_SUITE
