// The dns probe end to end (check runner → probe → c-ares → real unbound), with
// its evidence cross-checked against dig.
#include "support/check_runner.hpp"
#include "support/unbound_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace edgeprobe;

namespace {

nlohmann::json dns_check(const test::unbound_server& unbound, const std::string& name, nlohmann::json extra = {}) {
  nlohmann::json check = {{"probe", "dns"}, {"target", name}, {"resolver", unbound.address()}, {"timeout", "3s"}};
  if (extra.is_object()) check.update(extra);
  return check;
}

std::vector<std::string> answer_data(const check_result& r) {
  std::vector<std::string> out;
  for (const auto& a : r.outcome.details.at("answers")) out.push_back(a.at("data").get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_SUITE("dns") {

TEST_CASE("dns probe: answers of every type match dig") {
  test::unbound_server unbound;
  struct row { const char* name; const char* type; std::size_t count; };
  for (auto [name, type, count] : {row{"multi.lab.test", "A", 3}, row{"v6only.lab.test", "AAAA", 1},
                                   row{"_sip._tls.lab.test", "SRV", 2}, row{"lab.test", "TXT", 1},
                                   row{"lab.test", "MX", 1}, row{"lab.test", "NS", 1}, row{"lab.test", "CAA", 1},
                                   row{"alias2.lab.test", "CNAME", 1}}) {
    CAPTURE(name);
    CAPTURE(type);
    auto r = test::run_check(dns_check(unbound, name, {{"type", type}}));
    CHECK(r.outcome.state == status::pass);
    CHECK(r.outcome.details.at("rcode") == "NOERROR");
    CHECK(r.outcome.details.at("server") == unbound.address());
    const auto expected = test::dig_as_probe(unbound.port(), name, type);
    CHECK(expected.size() == count);
    CHECK(answer_data(r) == expected);
    for (const auto& a : r.outcome.details.at("answers")) CHECK(a.at("ttl") == 300);
  }
}

TEST_CASE("dns probe: default A+AAAA, a CNAME chain, SRV expectations") {
  test::unbound_server unbound;
  auto dual = test::run_check(dns_check(unbound, "dual.lab.test"));
  CHECK(dual.outcome.state == status::pass);
  CHECK(answer_data(dual) == std::vector<std::string>{"127.0.0.21", "fd00::21"});
  CHECK(dual.outcome.details.at("queries").size() == 2);

  auto chained = test::run_check(dns_check(unbound, "alias.lab.test", {{"type", "A"}}));
  CHECK(chained.outcome.state == status::pass);
  CHECK(chained.outcome.details.at("cname_chain") ==
        nlohmann::json::array({"alias.lab.test", "alias2.lab.test", "multi.lab.test"}));
  CHECK(answer_data(chained) == test::dig_as_probe(unbound.port(), "multi.lab.test", "A"));

  auto srv = test::run_check(dns_check(
      unbound, "_sip._tls.lab.test",
      {{"type", "SRV"},
       {"expect", {{"answers_include", {"0 5 5061 SIP.lab.test."}}, {"min_answers", 2}, {"max_ms", 2000}}}}));
  CHECK(srv.outcome.state == status::pass);

  auto exact = test::run_check(dns_check(
      unbound, "multi.lab.test",
      {{"type", "A"}, {"expect", {{"answers_exactly", {"127.0.0.13", "127.0.0.11", "127.0.0.12"}}}}}));
  CHECK(exact.outcome.state == status::pass);
}

TEST_CASE("dns probe: every dns reason") {
  test::unbound_server unbound;
  SUBCASE("dns.nxdomain") {
    auto r = test::run_check(dns_check(unbound, "nope.lab.test"));
    CHECK(r.outcome.state == status::fail);
    CHECK(r.outcome.why == reason::dns_nxdomain);
    CHECK(r.outcome.details.at("rcode") == "NXDOMAIN");
  }
  SUBCASE("expected NXDOMAIN passes") {
    auto r = test::run_check(dns_check(unbound, "nope.lab.test", {{"expect", {{"rcode", "NXDOMAIN"}}}}));
    CHECK(r.outcome.state == status::pass);
  }
  SUBCASE("dns.nodata") {
    auto r = test::run_check(dns_check(unbound, "multi.lab.test", {{"type", "TXT"}}));
    CHECK(r.outcome.why == reason::dns_nodata);
    CHECK(test::dig_short(unbound.port(), "multi.lab.test", "TXT").empty());
  }
  SUBCASE("dns.no_address") {
    // No `type`: an address lookup, and the name has only SRV records.
    auto r = test::run_check(dns_check(unbound, "_sip._tls.lab.test"));
    CHECK(r.outcome.why == reason::dns_no_address);
  }
  SUBCASE("dns.refused") {
    auto r = test::run_check(dns_check(unbound, "x.refused.test"));
    CHECK(r.outcome.why == reason::dns_refused);
    CHECK(r.outcome.details.at("rcode") == "REFUSED");
  }
  SUBCASE("dns.unexpected_answer") {
    auto r = test::run_check(dns_check(
        unbound, "multi.lab.test", {{"type", "A"}, {"expect", {{"answers_include", {"127.0.0.99"}}}}}));
    CHECK(r.outcome.why == reason::dns_unexpected_answer);
    CHECK(r.outcome.message.find("127.0.0.99") != std::string::npos);
    auto excluded = test::run_check(dns_check(
        unbound, "multi.lab.test", {{"type", "A"}, {"expect", {{"answers_exclude", {"127.0.0.12"}}}}}));
    CHECK(excluded.outcome.why == reason::dns_unexpected_answer);
    auto too_few = test::run_check(dns_check(unbound, "multi.lab.test", {{"type", "A"}, {"expect", {{"min_answers", 4}}}}));
    CHECK(too_few.outcome.why == reason::dns_unexpected_answer);
  }
  SUBCASE("transport tcp and no recursion reach the same answers") {
    auto r = test::run_check(dns_check(unbound, "multi.lab.test", {{"type", "A"}, {"transport", "tcp"}, {"recursion", false}}));
    CHECK(r.outcome.state == status::pass);
    CHECK(r.outcome.details.at("resolver") == unbound.address() + " over tcp");
    CHECK(answer_data(r).size() == 3);
  }
}

TEST_CASE("dns probe: a resolver that never answers is dns.timeout at the deadline") {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string server = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  auto r = test::run_check({{"probe", "dns"}, {"target", "multi.lab.test"}, {"resolver", server}, {"timeout", "700ms"}});
  CHECK(r.outcome.state == status::fail);
  CHECK(r.outcome.why == reason::dns_timeout);
  CHECK(r.duration_ms >= 690);
  CHECK(r.duration_ms < 1200);
}

} // TEST_SUITE
