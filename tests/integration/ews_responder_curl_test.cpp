// The Exchange reference responder against curl, an independent HTTP client
// with its own NTLM and TLS code: on 127.0.0.1 only, HTTPS from tls_responder
// with a freshly generated PKI (curl verifies the chain with --cacert), plain
// HTTP from tcp_responder. What curl sees must be what Exchange shows it: the
// 401 with its schemes, NTLM's legs completed on one connection with the
// right password and refused with a wrong one, Basic Autodiscover with the
// EwsUrl, and the HTTP redirect method's 302.
#include "probes/ews/responder.hpp"

#include "net/responder_pki.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/ip/address.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace edgeprobe;

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

ews_responder_options mailboxes() {
  ews_responder_options o;
  o.mailboxes = {{"alice@contoso.test", "alice", "Passw0rd!", "Alice Anders"}};
  o.idle_timeout = std::chrono::seconds(10);
  return o; // ews_url empty: the Host curl sends, so it carries the ephemeral port
}

// HTTPS and plain HTTP responders on 127.0.0.1:0, served from a background thread.
struct ews_responders {
  ews_responders()
      : pki(generate_responder_pki({"localhost"}, {"127.0.0.1"})),
        https(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, ews_https_options(mailboxes(), tls_settings())),
        http(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, ews_http_options(redirecting())) {
    root = dir.write("root.pem", pki.root_pem).string();
    https.start();
    http.start();
  }

  tls_server_settings tls_settings() const {
    tls_server_settings t;
    t.chain_pem = pki.chain_pem;
    t.key_pem = pki.key_pem;
    return t;
  }
  ews_responder_options redirecting() const {
    auto o = mailboxes();
    o.https_redirect_url = https_url("/autodiscover/autodiscover.xml");
    return o;
  }
  std::string https_url(std::string_view path) const {
    return "https://127.0.0.1:" + std::to_string(https.local_endpoint().port()) + std::string(path);
  }
  std::string http_url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(http.local_endpoint().port()) + std::string(path);
  }

  // curl with the options every run shares; `args` follow.
  test::process_output curl(std::vector<std::string> args) const {
    std::vector<std::string> argv{"curl", "-sS", "--max-time", "10", "--cacert", root};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv, std::chrono::seconds(30));
  }

  test::temp_dir dir;
  std::string root;
  generated_pki pki;
  test::io_thread io; // after pki: https/http below need its executor
  tls_responder https;
  tcp_responder http;
};

} // namespace

TEST_SUITE("ews") {

TEST_CASE("ews responder via curl: an unauthenticated POST gets 401 with Negotiate, NTLM and Basic") {
  ews_responders r;
  const auto status = r.curl({"-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", r.https_url("/EWS/Exchange.asmx")});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  CHECK(status.out == "401");

  const auto headers = r.curl({"-D", "-", "-o", "/dev/null", "-X", "POST", r.https_url("/EWS/Exchange.asmx")});
  INFO(headers.out);
  CHECK(contains(headers.out, "HTTP/1.1 401"));
  CHECK(contains(headers.out, "WWW-Authenticate: Negotiate\r\n"));
  CHECK(contains(headers.out, "WWW-Authenticate: NTLM\r\n"));
  CHECK(contains(headers.out, "WWW-Authenticate: Basic realm=\"EWS01\"\r\n"));
}

TEST_CASE("ews responder via curl: NTLM GetFolder succeeds on one connection, a wrong password gets 401") {
  ews_responders r;
  const auto request = r.dir.write("getfolder.xml", ews::request(ews::operation::get_folder, ""));
  const auto body = r.dir.path() / "answer.xml";
  const auto post_as = [&](std::string credentials) {
    return r.curl({"--ntlm", "-u", credentials, "-H", "Content-Type: text/xml; charset=utf-8", "--data-binary",
                   "@" + request.string(), "-o", body.string(), "-w", "%{http_code} %{num_connects}",
                   r.https_url("/EWS/Exchange.asmx")});
  };

  const auto ok = post_as("alice:Passw0rd!");
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "200 1"); // the NEGOTIATE and AUTHENTICATE legs on the same connection
  const auto answer = ews::parse_response(read_text(body));
  INFO(answer.error.what);
  REQUIRE(answer);
  CHECK(answer.value->response_class == "Success");
  CHECK(answer.value->response_code == "NoError");
  REQUIRE(answer.value->version);
  CHECK(answer.value->version->text() == "15.1.2507.6 (V2017_07_11)");

  const auto wrong = post_as("alice:not-the-password");
  CHECK(wrong.exit_code == 0);
  CHECK(wrong.out == "401 1");
  CHECK_FALSE(contains(read_text(body), "not-the-password"));
}

TEST_CASE("ews responder via curl: NTLM authenticates the connection for the requests that follow") {
  ews_responders r;
  const auto request = r.dir.write("getfolder.xml", ews::request(ews::operation::get_folder, ""));
  // Two transfers in one curl run: the second reuses the authenticated connection.
  const auto both = r.curl({"--ntlm", "-u", "alice:Passw0rd!", "-H", "Content-Type: text/xml; charset=utf-8",
                            "--data-binary", "@" + request.string(), "-o", "/dev/null", "-o", "/dev/null", "-w",
                            "%{http_code} %{num_connects};", r.https_url("/EWS/Exchange.asmx"),
                            r.https_url("/EWS/Exchange.asmx")});
  INFO(both.err);
  CHECK(both.exit_code == 0);
  CHECK(both.out == "200 1;200 0;");
}

TEST_CASE("ews responder via curl: Basic POX Autodiscover hands out the EwsUrl") {
  ews_responders r;
  const auto request = r.dir.write("pox.xml", autodiscover::pox_request("alice@contoso.test"));
  const auto body = r.dir.path() / "pox_answer.xml";
  const auto out = r.curl({"--basic", "-u", "alice:Passw0rd!", "-H", "Content-Type: text/xml", "--data-binary",
                           "@" + request.string(), "-o", body.string(), "-w", "%{http_code}",
                           r.https_url("/autodiscover/autodiscover.xml")});
  INFO(out.err);
  CHECK(out.exit_code == 0);
  CHECK(out.out == "200");
  const auto answer = autodiscover::parse_pox_response(read_text(body));
  INFO(answer.error.what);
  REQUIRE(answer);
  CHECK(answer.value->what == autodiscover::pox_response::kind::settings);
  CHECK(answer.value->display_name == "Alice Anders");
  CHECK(answer.value->ews_url() == r.https_url("/EWS/Exchange.asmx"));

  const auto wrong = r.curl({"--basic", "-u", "alice:nope", "--data-binary", "@" + request.string(), "-o", "/dev/null",
                             "-w", "%{http_code}", r.https_url("/autodiscover/autodiscover.xml")});
  CHECK(wrong.out == "401");
}

TEST_CASE("ews responder via curl: the plain HTTP listener redirects Autodiscover to HTTPS") {
  ews_responders r;
  const auto out = r.curl({"-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", r.http_url("/autodiscover/autodiscover.xml")});
  INFO(out.err);
  CHECK(out.exit_code == 0);
  CHECK(out.out == "302 " + r.https_url("/autodiscover/autodiscover.xml"));
}

TEST_CASE("ews responder via curl: Connection: close is honoured") {
  ews_responders r;
  const auto request = r.dir.write("pox.xml", autodiscover::pox_request("alice@contoso.test"));
  const auto both = r.curl({"--basic", "-u", "alice:Passw0rd!", "-H", "Connection: close", "--data-binary",
                            "@" + request.string(), "-o", "/dev/null", "-o", "/dev/null", "-w",
                            "%{http_code} %{num_connects};", r.https_url("/autodiscover/autodiscover.xml"),
                            r.https_url("/autodiscover/autodiscover.xml")});
  INFO(both.err);
  CHECK(both.out == "200 1;200 1;"); // the second transfer needed a connection of its own
}

TEST_CASE("ews responder via curl: headers over 64 KiB get 431") {
  ews_responders r;
  const auto out = r.curl({"-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Padding: " + std::string(70 * 1024, 'a'),
                           "-X", "POST", r.https_url("/EWS/Exchange.asmx")});
  CHECK(out.out == "431");
}

TEST_CASE("ews responder via curl: a request that is not HTTP gets 400 and the connection closed") {
  ews_responders r;
  // A method with a space in it makes the request line "BAD METHOD / HTTP/1.1": not HTTP.
  const auto out = r.curl({"-o", "/dev/null", "-w", "%{http_code}", "-X", "BAD METHOD", r.http_url("/")});
  CHECK(out.out == "400");
}

} // TEST_SUITE
