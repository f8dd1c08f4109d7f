// `edgeprobe check tls HOST:PORT -v` from the command line against
// `openssl s_server` on loopback: what an engineer sees when a certificate is
// the problem.
#include "support/openssl_cli.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_checks.hpp"
#include "support/tls_servers.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using edgeprobe::test::run_edgeprobe;
using edgeprobe::test::shared_pki;

TEST_SUITE("tls") {

TEST_CASE("check tls 127.0.0.1:PORT -v, expired self-signed: tls.cert.expired, the certificate shown in full") {
  const auto& pki = shared_pki();
  edgeprobe::test::openssl_server server(pki.self_signed_expired());
  const auto cli = edgeprobe::test::openssl_x509(pki.self_signed_expired().cert);

  const auto human = run_edgeprobe({"check", "tls", server.target(), "-v", "--format", "human"});
  INFO(human.out, human.err);
  CHECK(human.exit_code == 1);
  CHECK(human.out.find("tls.cert.expired") != std::string::npos);
  // The certificate block: issuer, subject, SANs, expiry, serial, fingerprint.
  std::string sans;
  for (const auto& san : cli.sans) sans += (sans.empty() ? "" : ", ") + san;
  for (const std::string& line :
       std::vector<std::string>{"Issuer:     " + cli.issuer, "Subject:    " + cli.subject, "SANs:       " + sans,
                                "Expires:    " + cli.not_after + " (EXPIRED 5 days ago)", "Serial:     " + cli.serial,
                                "SHA-256:    " + cli.sha256})
    CHECK_MESSAGE(human.out.find(line) != std::string::npos, "missing: ", line);
  // The other problem — nobody trusts a self-signed certificate — is listed too.
  CHECK(human.out.find("tls.cert.untrusted") != std::string::npos);

  const auto json = run_edgeprobe({"check", "tls", server.target(), "--format", "json"});
  REQUIRE(json.exit_code == 1);
  const auto doc = nlohmann::json::parse(json.out);
  const auto& check = doc["results"][0];
  CHECK(check["reason"] == "tls.cert.expired");
  const auto& details = check["addresses"][0]["details"];
  std::vector<std::string> reasons;
  for (const auto& p : details["problems"]) reasons.push_back(p["reason"]);
  CHECK(reasons == std::vector<std::string>{"tls.cert.expired", "tls.cert.untrusted"});
  CHECK(details["tls"]["leaf_days_left"].get<int>() < 0);
  CHECK(details["tls"]["chain"][0]["serial"] == cli.serial);
}

TEST_CASE("check tls with the wrong certificate: the message names what the certificate covers") {
  const auto& pki = shared_pki();
  edgeprobe::test::openssl_server server(pki.wrong_name());
  const auto r = run_edgeprobe({"check", "tls", server.target(), "--set", "sni=good.test", "--set",
                                "ca_file=" + pki.root().string(), "--format", "json"});
  REQUIRE(r.exit_code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& check = doc["results"][0];
  CHECK(check["reason"] == "tls.cert.name_mismatch");
  const auto message = check["message"].get<std::string>();
  CHECK(message.find("other.test") != std::string::npos);
  CHECK(message.find(server.target()) != std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("tls") {

TEST_CASE("validate: ca_file is relative to the suite file, a missing one is an error with pointer and position") {
  edgeprobe::test::temp_dir dir;
  std::filesystem::create_directory(dir.path() / "pki");
  std::filesystem::copy_file(shared_pki().root(), dir.path() / "pki" / "root.pem");
  const auto good = dir.write("good.json", R"({"suite": "s", "checks": [
  {"name": "a", "probe": "tls", "target": "127.0.0.1:443", "ca_file": "pki/root.pem"}]})");
  const auto ok = run_edgeprobe({"validate", good.string()});
  INFO(ok.out, ok.err);
  CHECK(ok.exit_code == 0);

  const auto bad = dir.write("bad.json", R"({"suite": "s", "checks": [
  {"name": "a", "probe": "tls", "target": "127.0.0.1:443", "ca_file": "pki/missing.pem"}]})");
  const auto r = run_edgeprobe({"validate", bad.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 2);
  const auto expected = bad.string() + ":2:71: /checks/0/ca_file: no such file: \"" +
                        (dir.path() / "pki" / "missing.pem").string() + "\"";
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(r.err.find("relative to the suite file's directory") != std::string::npos);
}

} // TEST_SUITE
