// The tls probe's judgement on facts built by hand: which reason wins, what the
// message says, and what verify / expect.verified switch off. The same stories
// against real servers are in tests/integration/tls_*_test.cpp.
#include "probes/tls/judge.hpp"

#include <doctest/doctest.h>
#include <openssl/tls1.h>
#include <openssl/x509_vfy.h>

#include <string>
#include <vector>

using namespace edgeprobe;

namespace {

constexpr std::int64_t day = 86400;
constexpr std::time_t now = 1'800'000'000;

cert_facts cert(std::string cn, std::string issuer_cn, std::int64_t days, bool ca = false) {
  cert_facts c;
  c.subject = "CN=" + cn;
  c.subject_cn = cn;
  c.issuer = "CN=" + issuer_cn;
  c.not_before = now - 30 * day;
  c.not_after = now + days * day + 3600;
  c.is_ca = ca;
  if (!ca) {
    c.has_san_extension = true;
    c.dns_names = {cn};
  }
  return c;
}

tls_facts facts_for(std::vector<cert_facts> chain) {
  tls_facts f;
  f.served_by = "192.0.2.10:443";
  f.checked_name = "sip.contoso.test";
  f.version = TLS1_3_VERSION;
  f.chain = std::move(chain);
  f.now = now;
  f.verification.text = "ok";
  return f;
}

void add_problem(tls_facts& f, int depth, int code, const std::string& subject) {
  f.verification.problems.push_back({depth, code, X509_verify_cert_error_string(code), subject});
  f.verification.code = f.verification.problems.front().code;
}

std::vector<std::string> reasons(const std::vector<tls_finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.emplace_back(code(f.why));
  return out;
}

using strings = std::vector<std::string>;

} // namespace

TEST_SUITE("tls") {

TEST_CASE("tls judge: a good chain with 90 days left: no findings") {
  const auto f = facts_for({cert("sip.contoso.test", "Issuing CA", 90), cert("Issuing CA", "Root", 900, true)});
  CHECK(judge_tls(f, tls_config{}).empty());
}

TEST_CASE("tls judge: only the leaf sent and its issuer unknown: chain_incomplete, naming the issuer and AIA URL") {
  auto leaf = cert("sip.contoso.test", "Contoso Issuing CA 02", 90);
  leaf.ca_issuers = {"http://pki.contoso.test/issuing02.crt"};
  auto f = facts_for({leaf});
  add_problem(f, 0, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, leaf.subject);
  const auto out = judge_tls(f, tls_config{});
  REQUIRE(reasons(out) == strings{"tls.cert.chain_incomplete"});
  CHECK(out[0].message.find("\"CN=Contoso Issuing CA 02\"") != std::string::npos);
  CHECK(out[0].message.find("http://pki.contoso.test/issuing02.crt") != std::string::npos);
}

TEST_CASE("tls judge: CA certificates sent and the top one's issuer unknown: untrusted, not incomplete") {
  auto f = facts_for({cert("sip.contoso.test", "Issuing CA", 90), cert("Issuing CA", "Private Root", 900, true)});
  add_problem(f, 1, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "CN=Issuing CA");
  const auto out = judge_tls(f, tls_config{});
  REQUIRE(reasons(out) == strings{"tls.cert.untrusted"});
  CHECK(out[0].message.find("Private Root") != std::string::npos);
}

TEST_CASE("tls judge: self-signed leaf: untrusted, saying self-signed") {
  auto f = facts_for({cert("sip.contoso.test", "sip.contoso.test", 90)});
  add_problem(f, 0, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "CN=sip.contoso.test");
  const auto out = judge_tls(f, tls_config{});
  REQUIRE(reasons(out) == strings{"tls.cert.untrusted"});
  CHECK(out[0].message.find("self-signed") != std::string::npos);
}

TEST_CASE("tls judge: dates first, then the name, then trust, all kept as evidence") {
  auto leaf = cert("other.contoso.test", "other.contoso.test", -6); // ended 5 days and 23 hours ago
  auto f = facts_for({leaf});
  add_problem(f, 0, X509_V_ERR_CERT_HAS_EXPIRED, leaf.subject);
  add_problem(f, 0, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, leaf.subject);
  const auto out = judge_tls(f, tls_config{});
  CHECK(reasons(out) == strings{"tls.cert.expired", "tls.cert.name_mismatch", "tls.cert.untrusted"});
  CHECK(out[0].message.find("5 days ago") != std::string::npos);
  CHECK(out[1].message.find("DNS:other.contoso.test") != std::string::npos);
  CHECK(out[1].message.find("192.0.2.10:443") != std::string::npos);
}

TEST_CASE("tls judge: verify false reports neither name nor trust, but still the dates") {
  auto leaf = cert("other.contoso.test", "other.contoso.test", -1);
  auto f = facts_for({leaf});
  add_problem(f, 0, X509_V_ERR_CERT_HAS_EXPIRED, leaf.subject);
  add_problem(f, 0, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, leaf.subject);
  f.checked_name = ""; // the probe checks no name with verify false
  tls_config cfg;
  cfg.verify = false;
  CHECK(reasons(judge_tls(f, cfg)) == strings{"tls.cert.expired"});
}

TEST_CASE("tls judge: expect.verified false keeps the name but not the trust") {
  auto f = facts_for({cert("other.contoso.test", "Private CA", 90)});
  add_problem(f, 0, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "CN=other.contoso.test");
  tls_config cfg;
  cfg.verified = false;
  CHECK(reasons(judge_tls(f, cfg)) == strings{"tls.cert.name_mismatch"});
}

TEST_CASE("tls judge: the name only in the CN is san_missing, an IP target suggests sni") {
  auto cn_only = cert("sip.contoso.test", "CA", 90);
  cn_only.has_san_extension = false;
  cn_only.dns_names.clear();
  CHECK(reasons(judge_tls(facts_for({cn_only}), tls_config{})) == strings{"tls.cert.san_missing"});

  auto f = facts_for({cert("sip.contoso.test", "CA", 90)});
  f.checked_name = "192.0.2.10";
  const auto out = judge_tls(f, tls_config{});
  REQUIRE(reasons(out) == strings{"tls.cert.name_mismatch"});
  CHECK(out[0].message.find("`sni`") != std::string::npos);
}

TEST_CASE("tls judge: the soonest expiry of the chain, warned then failed") {
  // The intermediate, not the leaf, runs out first.
  auto f = facts_for({cert("sip.contoso.test", "Issuing CA", 200), cert("Issuing CA", "Root", 12, true)});
  const auto warned = judge_tls(f, tls_config{});
  REQUIRE(reasons(warned) == strings{"tls.cert.expires_soon"});
  CHECK(warned[0].state == status::warn);
  CHECK(warned[0].message.find("the chain's certificate \"CN=Issuing CA\"") != std::string::npos);
  CHECK(warned[0].message.find("in 12 days") != std::string::npos);
  tls_config strict;
  strict.min_days_left = 30;
  CHECK(judge_tls(f, strict).at(0).state == status::fail);
  tls_config quiet;
  quiet.warn_days_left = 0;
  CHECK(judge_tls(f, quiet).empty());
}

TEST_CASE("tls judge: expectations on names, issuer and version") {
  auto f = facts_for({cert("sip.contoso.test", "DigiCert Global G2 TLS RSA SHA256 2020 CA1", 90)});
  f.chain[0].dns_names = {"sip.contoso.test", "*.contoso.test"};
  tls_config cfg;
  cfg.san_includes = {"meet.contoso.test", "*.contoso.test", "lyncdiscover.fabrikam.test"};
  cfg.subject_cn = "SIP.contoso.test";
  cfg.issuer_contains = "digicert";
  const auto out = judge_tls(f, cfg);
  REQUIRE(reasons(out) == strings{"tls.cert.san_missing"});
  CHECK(out[0].message.find("does not cover lyncdiscover.fabrikam.test;") != std::string::npos);

  cfg.san_includes.clear();
  cfg.subject_cn = "meet.contoso.test";
  cfg.issuer_contains = "Sectigo";
  f.version = TLS1_1_VERSION;
  CHECK(reasons(judge_tls(f, cfg)) ==
        strings{"tls.cert.name_mismatch", "tls.cert.issuer_mismatch", "tls.version_too_low"});
}

TEST_CASE("tls judge: client certificates: requested or not as expected, and the CA list's size") {
  auto f = facts_for({cert("sip.contoso.test", "CA", 90)});
  tls_config wants;
  wants.client_cert_requested = true;
  CHECK(reasons(judge_tls(f, wants)) == strings{"tls.client_cert_not_requested"});

  f.client_cert_requested = true;
  f.client_ca_list_bytes = 16384;
  CHECK(judge_tls(f, tls_config{}).empty()); // at Schannel's limit, not over it
  tls_config refuses;
  refuses.client_cert_requested = false;
  CHECK(reasons(judge_tls(f, refuses)) == strings{"tls.client_cert_required"});

  f.client_ca_list_bytes = 16385;
  const auto large = judge_tls(f, tls_config{});
  REQUIRE(reasons(large) == strings{"tls.client_ca_list_large"});
  CHECK(large[0].state == status::warn);
  CHECK(large[0].message.find("16385 bytes") != std::string::npos);
  tls_config capped;
  capped.max_client_ca_list_bytes = 20000;
  CHECK(judge_tls(f, capped).empty());
  capped.max_client_ca_list_bytes = 8000;
  CHECK(judge_tls(f, capped).at(0).state == status::fail);
}

} // TEST_SUITE
