// The ews probe against the Exchange responder on loopback, with a DNS
// responder serving contoso.test: EWS reached without credentials, NTLM and
// Basic calls, error responses, and Autodiscover's candidates in order — the
// domain and autodiscover.domain failing each for its own reason, the SRV
// record leading to the server, redirectAddr and redirectUrl followed, and all
// candidates failing.
#include "net/responder_pki.hpp"
#include "probes/dns/responder.hpp"
#include "probes/ews/responder.hpp"
#include "probes/tls/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_servers.hpp"
#include "support/unbound_server.hpp"

#include <unistd.h>

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::reason_of;

namespace {

const auto loopback = net::ip::make_address("127.0.0.1");

// contoso.test: no address for the domain itself, no autodiscover.contoso.test,
// ews.contoso.test at 127.0.0.1, and (with `srv`) _autodiscover._tcp pointing at it.
dns_zone contoso(std::uint16_t ews_port, bool srv, const char* autodiscover_address = nullptr) {
  dns_zone z;
  z.origin = "contoso.test";
  z.soa = {"ns.contoso.test", "hostmaster.contoso.test", 1, 3600, 600, 86400, 60};
  z.records.push_back({"ews.contoso.test", dns::type::a, dns::class_in, 60, net::ip::make_address_v4("127.0.0.1")});
  z.records.push_back({"contoso.test", dns::type::mx, dns::class_in, 60, dns::mx_rdata{10, "ews.contoso.test"}});
  if (autodiscover_address)
    z.records.push_back({"autodiscover.contoso.test", dns::type::a, dns::class_in, 60,
                         net::ip::make_address_v4(autodiscover_address)});
  if (srv)
    z.records.push_back({"_autodiscover._tcp.contoso.test", dns::type::srv, dns::class_in, 60,
                         dns::srv_rdata{0, 0, ews_port, "ews.contoso.test"}});
  return z;
}

// One PKI for every lab in this file, so a redirect from one responder to
// another verifies with the same ca_file.
const generated_pki& lab_pki() {
  static const generated_pki pki = generate_responder_pki({"ews.contoso.test", "localhost"}, {"127.0.0.1"});
  return pki;
}

struct exchange_lab {
  explicit exchange_lab(std::function<void(ews_responder_options&)> adjust = {}, bool srv = true,
                        std::uint16_t fixed_port = 0, const char* autodiscover_address = nullptr)
      : port(fixed_port ? fixed_port : test::free_loopback_port()), pki(lab_pki()) {
    ews_responder_options o;
    o.mailboxes = {{"alice@contoso.test", "CONTOSO\\alice", "Passw0rd!", "Alice Anders"},
                   {"carol@contoso.test", "CONTOSO\\carol", "Carol-Pw-9", "Carol Chen"}};
    if (adjust) adjust(o);
    tls_server_settings tls;
    tls.chain_pem = pki.chain_pem;
    tls.key_pem = pki.key_pem;
    ews.emplace(io.executor(), net::ip::tcp::endpoint(loopback, port), ews_https_options(o, tls));
    ews->start();
    dns.emplace(io.executor(), loopback, 0, contoso(port, srv, autodiscover_address));
    dns->start();
    root = dir.write("root.pem", pki.root_pem).string();
  }
  ~exchange_lab() {
    ews->stop();
    dns->stop();
  }
  std::string ews_url() const { return "https://ews.contoso.test:" + std::to_string(port) + "/EWS/Exchange.asmx"; }
  json check(json extra) const {
    json c = {{"probe", "ews"},
              {"target", ews_url()},
              {"resolver", "127.0.0.1:" + std::to_string(dns->port())},
              {"ca_file", root},
              {"timeout", "10s"}};
    c.update(extra);
    return c;
  }

  test::io_thread io;
  std::uint16_t port;
  generated_pki pki;
  test::temp_dir dir;
  std::string root;
  std::optional<tls_responder> ews;
  std::optional<dns_responder> dns;
};

const json alice = {{"username", "CONTOSO\\alice"}, {"password", "Passw0rd!"}};

} // namespace

TEST_SUITE("ews") {

TEST_CASE("ews without credentials: reachable, the 401's schemes listed") {
  exchange_lab lab;
  const auto r = test::run_check(lab.check(json::object()));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["outcome"] == "reachable");
  CHECK(details_of(r)["auth_schemes"] == json::array({"Negotiate", "NTLM", "Basic realm=\"EWS01\""}));
  CHECK(r.outcome.message.find("offers Negotiate, NTLM, Basic") != std::string::npos);
  // Without credentials "authenticated" cannot be met: the loader says so.
}

TEST_CASE("ews with NTLM: GetFolder Success with the server version, a wrong password is http.auth_failed") {
  exchange_lab lab;
  const auto r = test::run_check(lab.check(alice));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["response_class"] == "Success");
  CHECK(details_of(r)["server_version"] == "15.1.2507.6 (V2017_07_11)");
  CHECK(details_of(r)["hops"][0]["ntlm"]["target"] == "EWS01"); // the challenge names the server
  const auto wrong = test::run_check(lab.check({{"username", "CONTOSO\\alice"}, {"password", "nope"}}));
  CHECK(reason_of(wrong) == "http.auth_failed");
  CHECK(wrong.outcome.message.find("refused the credentials of CONTOSO\\alice") != std::string::npos);
  const auto basic = test::run_check(lab.check({{"username", "CONTOSO\\alice"}, {"password", "Passw0rd!"}, {"auth", "basic"}}));
  CHECK(basic.outcome.state == status::pass);
}

TEST_CASE("ews GetUserOofSettings for another mailbox: ews.error_response with the response code") {
  exchange_lab lab;
  auto c = lab.check(alice);
  c.update({{"email", "carol@contoso.test"}, {"autodiscover", "off"}, {"operation", "GetUserOofSettings"}});
  const auto r = test::run_check(c);
  CHECK(reason_of(r) == "ews.error_response");
  CHECK(details_of(r)["response_code"] == "ErrorAccessDenied");
  auto own = lab.check(alice);
  own.update({{"email", "alice@contoso.test"}, {"autodiscover", "off"}, {"operation", "GetUserOofSettings"}});
  CHECK(test::run_check(own).outcome.state == status::pass);
}

TEST_CASE("Autodiscover: the domain and autodiscover.domain fail each for its reason, the SRV record leads to EWS") {
  exchange_lab lab;
  auto c = lab.check(alice);
  c["email"] = "alice@contoso.test";
  const auto r = test::run_check(c);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& ad = details_of(r)["autodiscover"];
  const auto& candidates = ad["candidates"];
  REQUIRE(candidates.size() == 5);
  CHECK(candidates[0]["url"] == "https://contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[0]["reason"] == "dns.no_address"); // the name exists (MX), without an address
  CHECK(candidates[1]["url"] == "https://autodiscover.contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[1]["reason"] == "dns.nxdomain");
  CHECK(candidates[2]["url"] == "http://autodiscover.contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[2]["reason"] == "dns.nxdomain");
  CHECK(candidates[3]["url"] == "SRV _autodiscover._tcp.contoso.test");
  CHECK(candidates[3]["srv"] == "ews.contoso.test:" + std::to_string(lab.port));
  CHECK(candidates[4]["status"] == 200);
  CHECK(ad["ews_url"] == lab.ews_url());
  CHECK(ad["matches_target"] == true);
  CHECK(ad["display_name"] == "Alice Anders");
  CHECK(details_of(r)["response_class"] == "Success");

  auto soap = c;
  soap["autodiscover"] = "soap";
  const auto by_soap = test::run_check(soap);
  CHECK(by_soap.outcome.state == status::pass);
  CHECK(details_of(by_soap)["autodiscover"]["candidates"][4]["protocol"] == "soap");
}

TEST_CASE("Autodiscover: redirectAddr starts over for the new address, redirectUrl is asked next") {
  exchange_lab by_address([](ews_responder_options& o) {
    autodiscover::pox_response moved;
    moved.what = autodiscover::pox_response::kind::redirect_addr;
    moved.redirect = "carol@contoso.test";
    o.autodiscover_overrides["alice@contoso.test"] = moved;
  });
  auto c = by_address.check(alice);
  c["email"] = "alice@contoso.test";
  const auto r = test::run_check(c);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& candidates = details_of(r)["autodiscover"]["candidates"];
  CHECK(candidates[4]["redirect"] == "carol@contoso.test");
  CHECK(candidates.back()["email"] == "carol@contoso.test");
  CHECK(details_of(r)["autodiscover"]["display_name"] == "Carol Chen");

  const auto port = test::free_loopback_port();
  exchange_lab by_url([port](ews_responder_options& o) {
    autodiscover::pox_response elsewhere;
    elsewhere.what = autodiscover::pox_response::kind::redirect_url;
    elsewhere.redirect = "https://ews.contoso.test:" + std::to_string(port) + "/autodiscover/autodiscover.xml";
    o.autodiscover_overrides["alice@contoso.test"] = elsewhere;
  });
  // The redirect URL's server: a second responder, without the override, on that port.
  exchange_lab target_of_redirect({}, true, port);
  auto u = by_url.check(alice);
  u["email"] = "alice@contoso.test";
  const auto followed = test::run_check(u);
  INFO(followed.outcome.message);
  const auto& tried = details_of(followed)["autodiscover"]["candidates"];
  CHECK(tried[4]["redirect"] == "https://ews.contoso.test:" + std::to_string(port) + "/autodiscover/autodiscover.xml");
  CHECK(tried[5]["how"] == "redirectUrl");
  CHECK(tried[5]["url"] == "https://ews.contoso.test:" + std::to_string(port) + "/autodiscover/autodiscover.xml");
  CHECK(tried[5]["status"] == 200);
  CHECK_MESSAGE(followed.outcome.state == status::pass, reason_of(followed));
}

TEST_CASE("Autodiscover: every candidate failing is autodiscover.failed with each one's reason, no EWS URL") {
  exchange_lab no_srv({}, false);
  auto c = no_srv.check(alice);
  c["email"] = "alice@contoso.test";
  const auto r = test::run_check(c);
  CHECK(reason_of(r) == "autodiscover.failed");
  const auto& candidates = details_of(r)["autodiscover"]["candidates"];
  REQUIRE(candidates.size() == 4);
  for (const auto& k : candidates) CHECK_MESSAGE(k.contains("reason"), k.dump());
  CHECK(r.outcome.message.find("failed at all 4 candidates") != std::string::npos);

  exchange_lab bare([](ews_responder_options& o) {
    autodiscover::pox_response empty;
    empty.what = autodiscover::pox_response::kind::settings;
    empty.display_name = "Alice Anders";
    o.autodiscover_overrides["alice@contoso.test"] = empty;
  });
  auto b = bare.check(alice);
  b["email"] = "alice@contoso.test";
  CHECK(reason_of(test::run_check(b)) == "autodiscover.no_ews_url");
}

TEST_CASE("Autodiscover's HTTP redirect method: http://autodiscover.DOMAIN answers 302 to the https URL (root: port 80)") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: the redirect method asks port 80, which needs root to bind");
    return;
  }
  // autodiscover.contoso.test is 127.0.0.77: nothing on 443 there (candidate 2
  // is refused), the redirect responder on 80.
  exchange_lab lab({}, false, 0, "127.0.0.77");
  ews_responder_options redirecting;
  redirecting.https_redirect_url = "https://ews.contoso.test:" + std::to_string(lab.port) + "/autodiscover/autodiscover.xml";
  tcp_responder http(lab.io.executor(), {net::ip::make_address("127.0.0.77"), 80}, ews_http_options(redirecting));
  http.start();
  auto c = lab.check(alice);
  c["email"] = "alice@contoso.test";
  const auto r = test::run_check(c);
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& candidates = details_of(r)["autodiscover"]["candidates"];
  REQUIRE(candidates.size() == 4);
  CHECK(candidates[1]["reason"] == "tcp.refused");
  CHECK(candidates[2]["how"] == "http redirect");
  CHECK(candidates[2]["status"] == 302);
  CHECK(candidates[3]["how"] == "http redirect target");
  CHECK(candidates[3]["status"] == 200);
  http.stop();
}

TEST_CASE("ews: a SOAP fault from the server is ews.soap_fault with its code and text") {
  test::temp_dir dir;
  const auto fault = ews::build_soap_fault("a:ErrorSchemaValidation", "The request failed schema validation.");
  const auto body = dir.write("fault.xml", fault);
  test::tls_server_options o;
  o.nginx_server_block = "  location = /EWS/Exchange.asmx { error_page 405 =500 /fault.xml; return 405; }\n"
                         "  location = /fault.xml { internal; default_type text/xml; alias " + body.string() + "; }\n";
  test::nginx_server nginx(o);
  const auto r = test::run_check({{"probe", "ews"}, {"target", "http://" + nginx.target() + "/EWS/Exchange.asmx"},
                                  {"username", "alice"}, {"password", "x"}, {"auth", "basic"}});
  INFO(r.outcome.message);
  CHECK(reason_of(r) == "ews.soap_fault");
  CHECK(r.outcome.message.find("a:ErrorSchemaValidation: The request failed schema validation.") != std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("cli") {

TEST_CASE("edgeprobe check ews https://127.0.0.1:PORT/EWS/Exchange.asmx without credentials: pass, reachable, schemes") {
  exchange_lab lab;
  const auto r = test::run_edgeprobe({"check", "ews", "https://127.0.0.1:" + std::to_string(lab.port) + "/EWS/Exchange.asmx",
                                      "--set", "ca_file=" + lab.root, "--format", "json"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  const auto result = json::parse(r.out)["results"][0];
  CHECK(result["status"] == "pass");
  const auto& d = result["addresses"][0]["details"];
  CHECK(d["outcome"] == "reachable");
  CHECK(d["auth_schemes"] == json::array({"Negotiate", "NTLM", "Basic realm=\"EWS01\""}));
}

TEST_CASE("ews with --set email and credentials from ${env:}: every candidate, the EWS URL, Success, the password nowhere") {
  exchange_lab lab;
  const std::string password = "Passw0rd!";
  ::setenv("EDGEPROBE_TEST_EWS_USER", "CONTOSO\\alice", 1);
  ::setenv("EDGEPROBE_TEST_EWS_PASSWORD", password.c_str(), 1);
  const auto suite = lab.dir.write("exchange.json", json{
      {"suite", "exchange-lab"},
      {"vars", {{"user", "${env:EDGEPROBE_TEST_EWS_USER}"}, {"password", "${env:EDGEPROBE_TEST_EWS_PASSWORD}"}}},
      {"checks", json::array({{{"name", "mailbox"}, {"probe", "ews"}, {"target", lab.ews_url()},
                               {"email", "alice@contoso.test"}, {"username", "${user}"}, {"password", "${password}"},
                               {"resolver", "127.0.0.1:" + std::to_string(lab.dns->port())}, {"ca_file", lab.root},
                               {"timeout", "10s"}}})}}.dump(2));
  const auto report = lab.dir.path() / "report.json";
  const auto r = test::run_edgeprobe({"run", suite.string(), "--format", "json", "--report", "json=" + report.string()});
  const auto verbose = test::run_edgeprobe({"run", suite.string(), "-v", "--format", "human"});
  ::unsetenv("EDGEPROBE_TEST_EWS_PASSWORD");
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  const auto result = json::parse(r.out)["results"][0];
  CHECK(result["status"] == "pass");
  const auto& d = result["addresses"][0]["details"];
  const auto& candidates = d["autodiscover"]["candidates"];
  REQUIRE(candidates.size() == 5);
  CHECK(candidates[0]["url"] == "https://contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[1]["url"] == "https://autodiscover.contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[2]["url"] == "http://autodiscover.contoso.test/autodiscover/autodiscover.xml");
  CHECK(candidates[3]["url"] == "SRV _autodiscover._tcp.contoso.test");
  CHECK(d["autodiscover"]["ews_url"] == lab.ews_url());
  CHECK(d["response_class"] == "Success");

  std::ifstream in(report);
  const std::string written{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK(written.find("Success") != std::string::npos);
  for (const auto* text : {&r.out, &r.err, &verbose.out, &verbose.err, &written}) {
    CHECK(text->find(password) == std::string::npos);
    CHECK(text->find("UGFzc3cwcmQh") == std::string::npos); // nor its base64
  }
}

} // TEST_SUITE
