// Every finding a probe raises is kept, in order, and written as
// details.problems on the check and on each address (docs/results.md): a
// later, worse failure replaces the reason, never the earlier finding.
#include "core/result.hpp"
#include "run/address_verdict.hpp"
#include "run/problems.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

std::vector<std::string> reasons_of(const nlohmann::json& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.at("reason"));
  return out;
}

address_result at(std::string address, std::uint16_t port) {
  address_result a;
  a.address = std::move(address);
  a.port = port;
  return a;
}

} // namespace

TEST_CASE("a later failure becomes the reason, and the earlier warning stays in the findings, first") {
  verdict v;
  v.raise(status::warn, reason::epm_address_mismatch, "the tower names 10.0.0.5");
  v.raise(status::fail, reason::epm_dynamic_port_unreachable, "port 49664 refused");
  CHECK(v.state == status::fail);
  CHECK(v.why == reason::epm_dynamic_port_unreachable);
  CHECK(v.message == "port 49664 refused");
  REQUIRE(v.findings.size() == 2);
  CHECK(v.findings[0].state == status::warn);
  CHECK(v.findings[0].why == reason::epm_address_mismatch);
  CHECK(v.findings[0].message == "the tower names 10.0.0.5");
  CHECK(v.findings[1].state == status::fail);
  CHECK(v.findings[1].why == reason::epm_dynamic_port_unreachable);
}

TEST_CASE("at equal severity the first stays the reason, and the second is still a finding") {
  verdict v;
  v.raise(status::fail, reason::tls_cert_expired, "expired");
  v.raise(status::fail, reason::tls_cert_untrusted, "untrusted");
  CHECK(v.why == reason::tls_cert_expired);
  REQUIRE(v.findings.size() == 2);
  CHECK(v.findings[1].why == reason::tls_cert_untrusted);
  CHECK(v.findings[1].message == "untrusted");
}

TEST_CASE("a pass with a reason and a skip are not findings, and the same finding twice is listed once") {
  verdict v;
  v.raise(status::pass, reason::path_address_translated, "NAT seen");
  v.raise(status::skip, reason::check_cancelled, "not run");
  CHECK(v.findings.empty());
  v.raise(status::warn, reason::turn_reply_from_other_address, "from 192.0.2.9");
  v.raise(status::warn, reason::turn_reply_from_other_address, "from 192.0.2.9");
  v.raise(status::warn, reason::turn_reply_from_other_address, "from 192.0.2.10");
  REQUIRE(v.findings.size() == 2);
  CHECK(v.findings[1].message == "from 192.0.2.10");
}

TEST_CASE("the check's findings are every address's, in address order, each labelled with its address") {
  auto a = at("192.0.2.1", 135), b = at("2001:db8::2", 135);
  a.outcome.raise(status::warn, reason::epm_address_mismatch, "mismatch at a");
  a.outcome.raise(status::fail, reason::epm_dynamic_port_unreachable, "refused at a");
  b.outcome.raise(status::fail, reason::tcp_timeout, "timeout at b");

  auto [v, decider] = combine_addresses({a, b}, address_mode::all);
  CHECK(v.why == reason::epm_dynamic_port_unreachable);
  REQUIRE(v.findings.size() == 3);
  CHECK(v.findings[0].why == reason::epm_address_mismatch);
  CHECK(v.findings[0].address == "192.0.2.1:135");
  CHECK(v.findings[1].address == "192.0.2.1:135");
  CHECK(v.findings[2].why == reason::tcp_timeout);
  CHECK(v.findings[2].address == "[2001:db8::2]:135");

  // Under addresses: any the check only warns; each finding keeps the status it had at its address.
  auto [any, unused] = combine_addresses({a, at("192.0.2.3", 135)}, address_mode::any);
  CHECK(any.state == status::warn);
  REQUIRE(any.findings.size() == 2);
  CHECK(any.findings[1].state == status::fail);
}

TEST_CASE("one address: its findings are the check's too, labelled") {
  auto a = at("127.0.0.1", 1434);
  a.outcome.raise(status::warn, reason::sqlbrowser_reply_from_other_address, "from 127.0.0.2");
  auto [v, decider] = combine_addresses({a}, address_mode::all);
  REQUIRE(v.findings.size() == 1);
  CHECK(v.findings[0].address == "127.0.0.1:1434");
  CHECK(a.outcome.findings[0].address.empty()); // the address's own list names no address
}

TEST_CASE("write_problems: details.problems on the check and each address, in the documented form") {
  check_result r;
  r.outcome.raise(status::warn, reason::epm_address_mismatch, "mismatch");
  r.outcome.findings.back().address = "192.0.2.1:135";
  r.outcome.raise(status::fail, reason::epm_dynamic_port_unreachable, "refused");
  r.addresses.push_back(at("192.0.2.1", 135));
  r.addresses.back().outcome.raise(status::warn, reason::epm_address_mismatch, "mismatch");
  r.addresses.push_back(at("192.0.2.2", 135)); // a clean address: an empty list

  write_problems(r);
  const auto& problems = r.outcome.details.at("problems");
  REQUIRE(problems.is_array());
  CHECK(reasons_of(problems) == std::vector<std::string>{"epm.address_mismatch", "epm.dynamic_port_unreachable"});
  CHECK(problems[0] == nlohmann::json{{"reason", "epm.address_mismatch"},
                                      {"status", "warn"},
                                      {"message", "mismatch"},
                                      {"address", "192.0.2.1:135"}});
  CHECK(problems[1] == nlohmann::json{{"reason", "epm.dynamic_port_unreachable"},
                                      {"status", "fail"},
                                      {"message", "refused"}});
  CHECK(r.outcome.findings.empty()); // moved: details is what redaction and reports see
  CHECK(r.addresses[0].outcome.details.at("problems") ==
        nlohmann::json::array({{{"reason", "epm.address_mismatch"}, {"status", "warn"}, {"message", "mismatch"}}}));
  CHECK(r.addresses[1].outcome.details.at("problems") == nlohmann::json::array());
}
