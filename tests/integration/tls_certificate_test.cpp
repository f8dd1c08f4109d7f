// The tls probe against real servers (nginx, openssl s_server) on loopback,
// serving the test PKI's certificates: every certificate story and the reason
// it must produce, and the evidence cross-checked with `openssl x509`.
#include "support/check_runner.hpp"
#include "support/openssl_cli.hpp"
#include "support/tls_checks.hpp"
#include "support/tls_servers.hpp"

#include <doctest/doctest.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::problem_reasons;
using test::reason_of;
using test::shared_pki;
using test::tls_check;

namespace {

// The probe's evidence for one certificate equals what `openssl x509` prints.
void check_against_openssl(const json& evidence, const std::filesystem::path& pem) {
  const auto cli = test::openssl_x509(pem);
  INFO("certificate: ", pem.string());
  CHECK(evidence["subject"] == cli.subject);
  CHECK(evidence["issuer"] == cli.issuer);
  CHECK(evidence["serial"] == cli.serial);
  CHECK(evidence["not_before"] == cli.not_before);
  CHECK(evidence["not_after"] == cli.not_after);
  CHECK(evidence["sha256"] == cli.sha256);
  CHECK(evidence["sans"].get<std::vector<std::string>>() == cli.sans);
  CHECK(evidence["signature_algorithm"] == cli.signature_algorithm);
  CHECK(evidence["key"].get<std::string>().find(std::to_string(cli.key_bits)) != std::string::npos);
}

bool has_phase(const check_result& r, const std::string& name) {
  return std::any_of(r.phases.begin(), r.phases.end(), [&](const phase& p) { return p.name == name; });
}

} // namespace

TEST_SUITE("tls") {

TEST_CASE("tls probe: nginx with a good chain, trusted via ca_file: pass, the chain as sent matches openssl x509") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.good());
  const auto r = test::run_check(tls_check(
      server.target(), {{"sni", "good.test"},
                        {"expect", {{"san_includes", {"good.test", "WWW.Good.Test", "127.0.0.1"}},
                                    {"subject_cn", "good.test"},
                                    {"issuer_contains", "test intermediate"}}}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  CHECK(r.outcome.message.find("certificate CN=good.test") != std::string::npos);
  const auto& d = details_of(r);
  CHECK(d["sni"] == "good.test");
  CHECK(d["problems"].empty());
  const auto& tls = d["tls"];
  CHECK(tls["version"] == "TLSv1.3");
  CHECK(tls["cipher_iana"].get<std::string>().starts_with("TLS_"));
  CHECK(tls["alpn"].is_null());
  CHECK(tls["ocsp_stapled"] == false);
  CHECK(tls["verification"]["code"] == 0);
  CHECK(tls["verification"]["text"] == "ok");
  CHECK(tls["verification"]["built_chain"].size() == 3); // leaf, intermediate, root
  REQUIRE(tls["chain"].size() == 2);
  check_against_openssl(tls["chain"][0], pki.good().cert);
  check_against_openssl(tls["chain"][1], pki.good().intermediate);
  CHECK(tls["chain"][0]["days_left"] == 60);
  CHECK(tls["chain"][1]["ca"] == true);
  CHECK(tls["leaf_days_left"] == 60);
  // The intermediate lives ten years: the leaf is the chain's first expiry.
  CHECK(tls["chain_earliest_expiry"]["subject"] == tls["chain"][0]["subject"]);
  CHECK(tls["client_certificate"]["requested"] == false);
  // The handshake is its own phase, after the TCP connect.
  REQUIRE(r.addresses.size() == 1);
  const auto& phases = r.addresses.front().phases;
  REQUIRE(phases.size() == 2);
  CHECK(phases[0].name == "connect");
  CHECK(phases[1].name == "tls");
  CHECK(phases[1].start_ms >= phases[0].start_ms + phases[0].duration_ms);
  CHECK(d["handshake_ms"].get<double>() > 0);
  CHECK(has_phase(r, "tls"));
}

TEST_CASE("tls probe: expired leaf: tls.cert.expired names the certificate and the date, evidence still complete") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.expired());
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.expired");
  const auto cli = test::openssl_x509(pki.expired().cert);
  CHECK(r.outcome.message.find(cli.not_after) != std::string::npos);
  CHECK(r.outcome.message.find("CN=good.test") != std::string::npos);
  const auto& tls = details_of(r)["tls"];
  CHECK(tls["leaf_days_left"] == -4); // ended 3 days ago and some seconds: floor
  CHECK(tls["verification"]["code"] == X509_V_ERR_CERT_HAS_EXPIRED);
  check_against_openssl(tls["chain"][0], pki.expired().cert);
  CHECK(problem_reasons(details_of(r)) == std::vector<std::string>{"tls.cert.expired"});
}

TEST_CASE("tls probe: a leaf that starts in two days: tls.cert.not_yet_valid, with this host's time") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.not_yet_valid());
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.not_yet_valid");
  CHECK(r.outcome.message.find(test::openssl_x509(pki.not_yet_valid().cert).not_before) != std::string::npos);
}

TEST_CASE("tls probe: wrong certificate on the listener: tls.cert.name_mismatch lists the names it covers") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.wrong_name());
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.name_mismatch");
  INFO(r.outcome.message);
  CHECK(r.outcome.message.find("good.test") != std::string::npos);  // the name asked for
  CHECK(r.outcome.message.find("other.test") != std::string::npos); // the name it covers
  CHECK(r.outcome.message.find(server.target()) != std::string::npos);
  // With verify false the name is reported, not judged (curl -k).
  const auto lax = test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"verify", false}}));
  CHECK(lax.outcome.state == status::pass);
  CHECK(details_of(lax)["tls"]["chain"][0]["sans"] == json{"DNS:other.test"});
}

TEST_CASE("tls probe: a one-label wildcard covers one label only") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.wildcard());
  CHECK(test::run_check(tls_check(server.target(), {{"sni", "lyncdiscover.wild.test"}})).outcome.state ==
        status::pass);
  CHECK(test::run_check(tls_check(server.target(), {{"sni", "LYNC.WILD.TEST"}})).outcome.state == status::pass);
  CHECK(reason_of(test::run_check(tls_check(server.target(), {{"sni", "a.b.wild.test"}}))) ==
        "tls.cert.name_mismatch");
  CHECK(reason_of(test::run_check(tls_check(server.target(), {{"sni", "wild.test"}}))) == "tls.cert.name_mismatch");
  // san_includes: a name is covered by the wildcard; "*.wild.test" itself must be there.
  CHECK(test::run_check(tls_check(server.target(),
                                  {{"sni", "x.wild.test"},
                                   {"expect", {{"san_includes", {"meet.wild.test", "*.wild.test"}}}}}))
            .outcome.state == status::pass);
  const auto r = test::run_check(
      tls_check(server.target(), {{"sni", "x.wild.test"}, {"expect", {{"san_includes", {"sip.contoso.test"}}}}}));
  CHECK(reason_of(r) == "tls.cert.san_missing");
  CHECK(r.outcome.message.find("sip.contoso.test") != std::string::npos);
  CHECK(r.outcome.message.find("*.wild.test") != std::string::npos);
}

TEST_CASE("tls probe: the server sends the leaf without its intermediate: tls.cert.chain_incomplete") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.send_chain = false;
  test::nginx_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.chain_incomplete");
  const auto& tls = details_of(r)["tls"];
  CHECK(tls["chain"].size() == 1);
  CHECK(tls["verification"]["code"] == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  // Without trust judged (expect.verified false) the same server passes.
  CHECK(test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"verified", false}}}}))
            .outcome.state == status::pass);
}

TEST_CASE("tls probe: a complete chain from a root the client does not trust: tls.cert.untrusted") {
  const auto& pki = shared_pki();
  test::openssl_server server(pki.untrusted());
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.untrusted");
  CHECK(details_of(r)["tls"]["chain"].size() == 2);
  // Trusting that root instead makes it pass.
  CHECK(test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"ca_file", pki.other_root().string()}}))
            .outcome.state == status::pass);
}

TEST_CASE("tls probe: 201 SANs: all reported in order, any of them found by san_includes") {
  const auto& pki = shared_pki();
  test::openssl_server server(pki.many_sans());
  const auto r = test::run_check(tls_check(
      server.target(),
      {{"sni", "good.test"}, {"expect", {{"san_includes", {"name-0.many.test", "name-199.many.test"}}}}}));
  CHECK(r.outcome.state == status::pass);
  const auto& leaf = details_of(r)["tls"]["chain"][0];
  CHECK(leaf["sans"].size() == 201);
  check_against_openssl(leaf, pki.many_sans().cert);
  const auto missing = test::run_check(tls_check(
      server.target(), {{"sni", "good.test"}, {"expect", {{"san_includes", {"name-200.many.test"}}}}}));
  CHECK(reason_of(missing) == "tls.cert.san_missing");
}

TEST_CASE("tls probe: a certificate with the name only in its CN: tls.cert.san_missing, as browsers refuse it") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.cn_only());
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.san_missing");
  CHECK(details_of(r)["tls"]["chain"][0]["sans"].empty());
}

TEST_CASE("tls probe: subject_cn and issuer_contains that do not match") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.good());
  const auto cn = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"subject_cn", "www.good.test"}}}}));
  CHECK(reason_of(cn) == "tls.cert.name_mismatch");
  const auto issuer = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"issuer_contains", "DigiCert"}}}}));
  CHECK(issuer.outcome.state == status::fail);
  CHECK(reason_of(issuer) == "tls.cert.issuer_mismatch");
  CHECK(issuer.outcome.message.find("edgeprobe test intermediate") != std::string::npos);
}

TEST_CASE("tls probe: a leaf with 10 days left warns by default, fails under min_days_left") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.expires_soon());
  const auto warned = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(warned.outcome.state == status::warn);
  CHECK(reason_of(warned) == "tls.cert.expires_soon");
  CHECK(warned.outcome.message.find("10 days") != std::string::npos);
  const auto failed =
      test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"min_days_left", 30}}}}));
  CHECK(failed.outcome.state == status::fail);
  CHECK(reason_of(failed) == "tls.cert.expires_soon");
  const auto quiet =
      test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"warn_days_left", 5}}}}));
  CHECK(quiet.outcome.state == status::pass);
}

TEST_CASE("tls probe: with an IP target and no SNI the IP SAN is checked, sni \"\" sends none") {
  const auto& pki = shared_pki();
  test::openssl_server server(pki.good());
  const auto r = test::run_check(tls_check(server.target()));
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["sni"].is_null());
  const auto none = test::run_check(tls_check(server.target(), {{"sni", ""}}));
  CHECK(none.outcome.state == status::pass);
  CHECK(details_of(none)["sni"].is_null());
  // The wrong-name certificate has no IP SAN: the message suggests setting sni.
  test::openssl_server wrong(pki.wrong_name());
  const auto mismatch = test::run_check(tls_check(wrong.target()));
  CHECK(reason_of(mismatch) == "tls.cert.name_mismatch");
  CHECK(mismatch.outcome.message.find("sni") != std::string::npos);
}

} // TEST_SUITE
