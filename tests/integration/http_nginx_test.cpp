// The http probe against a real nginx on loopback ports (configuration written
// by the test): statuses, redirects across hosts and schemes, a redirect loop,
// Basic authentication with an htpasswd file, header and body expectations,
// a slow answer, and the certificate judged on the way.
#include "support/check_runner.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/tls_servers.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::reason_of;

namespace {

// The locations every test server has; `https_port` is where /to-https sends.
std::string locations(const test::temp_dir& dir, std::uint16_t https_port) {
  const auto users = dir.write("htpasswd", "alice:{PLAIN}Wonderland-42\n");
  const auto big = dir.write("big.txt", std::string(48 * 1024, 'x'));
  const auto welcome = dir.write("welcome.txt", "welcome\n");
  return "  location = /moved { return 301 /target; }\n"
         "  location = /target { return 200 \"arrived\\n\"; }\n"
         "  location = /loop { return 302 /loop; }\n"
         "  location = /missing { return 404; }\n"
         "  location = /broken { return 503; }\n"
         "  location = /to-https { return 302 https://127.0.0.1:" + std::to_string(https_port) + "/target; }\n"
         "  location = /headers { add_header X-Edge-Node edge-01 always; default_type text/plain; "
         "return 200 \"<title>Outlook Web App</title>\\n\"; }\n"
         "  location = /secret { auth_basic \"edge lab\"; auth_basic_user_file " + users.string() +
         "; alias " + welcome.string() + "; }\n" // `return` would answer before auth_basic runs
         "  location = /slow { alias " + big.string() + "; limit_rate 16k; limit_rate_after 0; }\n";
}

json check(const test::nginx_server& server, const std::string& path, json extra = json::object(), bool tls = false) {
  json c = {{"probe", "http"},
            {"target", std::string(tls ? "https://" : "http://") + server.target() + path},
            {"timeout", "5s"}};
  c.update(extra);
  return c;
}

} // namespace

TEST_SUITE("http") {

TEST_CASE("http vs nginx: 200 passes, 404 and 503 are http.status with the status in the message") {
  test::temp_dir dir;
  test::tls_server_options o;
  o.nginx_server_block = locations(dir, 1);
  test::nginx_server nginx(o);
  const auto ok = test::run_check(check(nginx, "/"));
  INFO(ok.outcome.message);
  CHECK(ok.outcome.state == status::pass);
  CHECK(details_of(ok)["status"] == 200);
  CHECK(ok.outcome.message.starts_with("200 OK from http://127.0.0.1:"));

  const auto missing = test::run_check(check(nginx, "/missing"));
  CHECK(reason_of(missing) == "http.status");
  CHECK(missing.outcome.message.find("answered 404 Not Found, not 2xx") != std::string::npos);
  CHECK(reason_of(test::run_check(check(nginx, "/broken"))) == "http.status");
  // ...unless that is what the check expects.
  CHECK(test::run_check(check(nginx, "/missing", {{"expect", {{"status", {404}}}}})).outcome.state == status::pass);
  CHECK(test::run_check(check(nginx, "/broken", {{"expect", {{"status", {"5xx"}}}}})).outcome.state == status::pass);
}

TEST_CASE("http vs nginx: redirects followed hop by hop, across schemes, a loop is http.redirect_limit") {
  test::temp_dir dir;
  test::test_pki pki;
  test::tls_server_options tls_options(pki.good());
  tls_options.nginx_server_block = locations(dir, 1);
  test::nginx_server secure(tls_options);
  test::tls_server_options plain_options;
  plain_options.nginx_server_block = locations(dir, secure.port());
  test::nginx_server plain(plain_options);

  const auto moved = test::run_check(check(plain, "/moved"));
  CHECK(moved.outcome.state == status::pass);
  const auto& hops = details_of(moved)["hops"];
  REQUIRE(hops.size() == 2);
  CHECK(hops[0]["status"] == 301);
  CHECK(hops[0]["location"] == "http://" + plain.target() + "/target"); // nginx makes Location absolute
  CHECK(hops[1]["url"] == "http://" + plain.target() + "/target");
  CHECK(moved.outcome.message.find("after 1 redirects") != std::string::npos);

  const auto not_followed = test::run_check(check(plain, "/moved", {{"follow_redirects", 0}}));
  CHECK(reason_of(not_followed) == "http.status");
  CHECK(not_followed.outcome.message.find("(Location: http://" + plain.target() + "/target)") != std::string::npos);

  const auto to_https = test::run_check(check(plain, "/to-https", {{"ca_file", pki.root().string()}}));
  INFO(to_https.outcome.message);
  CHECK(to_https.outcome.state == status::pass);
  CHECK(details_of(to_https)["hops"][1]["tls"]["tls"]["version"] == "TLSv1.3");
  CHECK(details_of(to_https)["url"] == "https://" + secure.target() + "/target");

  CHECK(details_of(to_https)["problems"].empty()); // the same host on another port: nothing to say

  // Without the private root, the hop to https fails on the certificate, with the tls probe's reason.
  CHECK(reason_of(test::run_check(check(plain, "/to-https"))) == "tls.cert.untrusted");

  const auto loop = test::run_check(check(plain, "/loop", {{"follow_redirects", 3}}));
  CHECK(reason_of(loop) == "http.redirect_limit");
  CHECK(details_of(loop)["hops"].size() == 4);
  CHECK(loop.outcome.message.find("still redirected after 3 redirects") != std::string::npos);
}

TEST_CASE("http vs nginx: a redirect to another host survives the TLS failure there, as a warning before it") {
  test::temp_dir dir;
  test::test_pki pki;
  test::unbound_server dns; // here.lab.test is 127.0.0.1, under another name
  test::tls_server_options tls_options(pki.good());
  test::nginx_server secure(tls_options);
  test::tls_server_options plain_options;
  plain_options.nginx_server_block =
      "  location = /elsewhere { return 302 https://here.lab.test:" + std::to_string(secure.port()) + "/; }\n";
  test::nginx_server plain(plain_options);

  // The certificate covers good.test, not here.lab.test: the TLS step fails on the name.
  const auto r = test::run_check(
      check(plain, "/elsewhere", {{"resolver", dns.address()}, {"ca_file", pki.root().string()}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.cert.name_mismatch");
  const auto& problems = details_of(r)["problems"];
  REQUIRE(problems.size() == 2);
  CHECK(problems[0]["reason"] == "http.redirect_other_host");
  CHECK(problems[0]["status"] == "warn");
  CHECK(problems[0]["message"].get<std::string>().find("https://here.lab.test:" + std::to_string(secure.port())) !=
        std::string::npos);
  CHECK(problems[1]["reason"] == "tls.cert.name_mismatch");
  CHECK(problems[1]["status"] == "fail");
  CHECK(r.outcome.details["problems"][0]["address"] == plain.target());

  // With nothing failing after it, the redirect to another host is the check's warning.
  const auto named = test::run_check(check(plain, "/elsewhere",
                                           {{"resolver", dns.address()}, {"ca_file", pki.root().string()},
                                            {"sni", "good.test"}}));
  INFO(named.outcome.message);
  CHECK(named.outcome.state == status::warn);
  CHECK(reason_of(named) == "http.redirect_other_host");
  CHECK(named.outcome.message.find("200 OK from https://here.lab.test:") != std::string::npos);
}

TEST_CASE("http vs nginx: basic auth — required, refused, accepted, the schemes are listed") {
  test::temp_dir dir;
  test::tls_server_options o;
  o.nginx_server_block = locations(dir, 1);
  test::nginx_server nginx(o);
  const auto anonymous = test::run_check(check(nginx, "/secret"));
  CHECK(reason_of(anonymous) == "http.auth_required");
  CHECK(details_of(anonymous)["auth_schemes"][0] == "Basic realm=\"edge lab\"");
  CHECK(anonymous.outcome.message.find("it offers Basic realm=\"edge lab\"") != std::string::npos);

  const auto wrong = test::run_check(
      check(nginx, "/secret", {{"auth", "basic"}, {"username", "alice"}, {"password", "not-her-password"}}));
  CHECK(reason_of(wrong) == "http.auth_failed");
  CHECK(wrong.outcome.message.find("refused the credentials of alice") != std::string::npos);

  const auto right = test::run_check(
      check(nginx, "/secret", {{"auth", "basic"}, {"username", "alice"}, {"password", "Wonderland-42"}}));
  CHECK(right.outcome.state == status::pass);
  CHECK(details_of(right).dump().find("Wonderland-42") == std::string::npos);
}

TEST_CASE("http vs nginx: header and body expectations, and a slow answer over max_ms") {
  test::temp_dir dir;
  test::tls_server_options o;
  o.nginx_server_block = locations(dir, 1);
  test::nginx_server nginx(o);
  CHECK(test::run_check(check(nginx, "/headers",
                              {{"expect", {{"header", {{"X-Edge-Node", "^edge-0[0-9]$"}}}, {"body", "Outlook Web App"}}}}))
            .outcome.state == status::pass);
  const auto header = test::run_check(check(nginx, "/headers", {{"expect", {{"header", {{"X-Edge-Node", "^edge-02$"}}}}}}));
  CHECK(reason_of(header) == "http.header_mismatch");
  CHECK(header.outcome.message == "X-Edge-Node: edge-01 does not match /^edge-02$/");
  CHECK(reason_of(test::run_check(check(nginx, "/headers", {{"expect", {{"header", {{"X-Absent", "."}}}}}}))) ==
        "http.header_mismatch");
  const auto body = test::run_check(check(nginx, "/headers", {{"expect", {{"body", "Sign in"}}}}));
  CHECK(reason_of(body) == "http.body_mismatch");
  CHECK(body.outcome.message.find("it begins \"<title>Outlook Web App") != std::string::npos);

  // 48 KiB at 16 KiB/s: about 2 s in all, most of it transfer.
  const auto slow = test::run_check(check(nginx, "/slow", {{"expect", {{"max_ms", 500}}}}));
  INFO(slow.outcome.message);
  CHECK(reason_of(slow) == "http.slow");
  CHECK(details_of(slow)["body_bytes"] == 48 * 1024);
}

TEST_CASE("http: nothing listening is tcp.refused, a TLS port spoken to in plain HTTP is http.malformed or closed") {
  const auto refused = test::run_check(
      {{"probe", "http"}, {"target", "http://127.0.0.1:" + std::to_string(test::free_loopback_port()) + "/"}});
  CHECK(reason_of(refused) == "tcp.refused");
  test::test_pki pki;
  test::nginx_server secure(pki.good());
  const auto plain_to_tls = test::run_check({{"probe", "http"}, {"target", "http://" + secure.target() + "/"}});
  // nginx answers plain HTTP on a TLS port with its own 400 page.
  CHECK(reason_of(plain_to_tls) == "http.status");
  CHECK(plain_to_tls.outcome.message.find("400") != std::string::npos);
}

} // TEST_SUITE
