// The tls probe's handshake stories against real servers on loopback: old
// protocol versions, no common version or cipher, client certificates and CA
// lists (cross-checked with `openssl s_client`), plain HTTP where TLS was
// expected, SMTP STARTTLS, and transport failures that keep their tcp.* reason.
#include "probes/tls/responder.hpp"
#include "support/check_runner.hpp"
#include "support/corpus_file.hpp"
#include "support/io_thread.hpp"
#include "support/openssl_cli.hpp"
#include "support/scripted_peer.hpp"
#include "support/tls_checks.hpp"
#include "support/tls_servers.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <thread>

using namespace edgeprobe;
using json = nlohmann::json;
using test::details_of;
using test::reason_of;
using test::shared_pki;
using test::tls_check;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The tls responder speaking SMTP first, with the good chain.
struct smtp_responder_fixture {
  smtp_responder_fixture() : responder(make()) { responder.start(); }
  tls_responder make() {
    tls_responder_options o;
    o.tls.chain_pem = read_file(shared_pki().good().chain);
    o.tls.key_pem = read_file(shared_pki().good().key);
    o.starttls_smtp = true;
    return tls_responder(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, o);
  }
  std::uint16_t port() const { return responder.local_endpoint().port(); }
  std::string target() const { return "127.0.0.1:" + std::to_string(port()); }

  test::io_thread io;
  tls_responder responder;
};

// A TCP listener that completes the handshake (the kernel does) and never says a word.
struct silent_listener {
  silent_listener() : acceptor(io, {net::ip::make_address("127.0.0.1"), 0}) {}
  std::string target() const { return "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
  net::io_context io;
  net::ip::tcp::acceptor acceptor;
};

// Reads the ClientHello and answers it with a RST (SO_LINGER 0): what http.sys
// and some load balancers do when no certificate is bound for the name asked.
struct resetting_listener {
  resetting_listener() : acceptor(io, {net::ip::make_address("127.0.0.1"), 0}) {
    thread = std::thread([this] {
      net::ip::tcp::socket s(io);
      boost::system::error_code ec;
      acceptor.accept(s, ec);
      if (ec) return;
      char hello[4096];
      s.read_some(net::buffer(hello), ec);
      s.set_option(net::socket_base::linger(true, 0), ec);
      s.close(ec);
    });
  }
  ~resetting_listener() { thread.join(); }
  std::string target() const { return "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
  net::io_context io;
  net::ip::tcp::acceptor acceptor;
  std::thread thread;
};

} // namespace

TEST_SUITE("tls") {

TEST_CASE("tls probe: a server that speaks only TLS 1.0: tls.version_too_low, with the version as evidence") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.extra_args = {"-tls1", "-cipher", "DEFAULT@SECLEVEL=0"};
  test::openssl_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.version_too_low");
  CHECK(details_of(r)["tls"]["version"] == "TLSv1");
  CHECK(r.outcome.message.find("TLSv1.2") != std::string::npos);
  // Allowing 1.0 makes it pass.
  CHECK(test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"min_version", "1.0"}}}}))
            .outcome.state == status::pass);
  // Not offering 1.0 leaves no version in common: the server's alert says so,
  // and the message says what this side offered.
  const auto refused = test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"min_version", "1.2"}}));
  CHECK(reason_of(refused) == "tls.handshake_failed");
  CHECK(details_of(refused)["alert_received"] == "protocol version");
  CHECK(refused.outcome.message.find("offering TLSv1.2 to TLSv1.3") != std::string::npos);
}

TEST_CASE("tls probe: no version in common: tls.handshake_failed names the server's alert") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.extra_args = {"-tls1_3"};
  test::openssl_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"max_version", "1.2"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.handshake_failed");
  CHECK(details_of(r)["alert_received"] == "protocol version");
  CHECK(r.outcome.message.find("protocol version") != std::string::npos);
}

TEST_CASE("tls probe: no cipher in common: tls.handshake_failed with the server's handshake-failure alert") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.extra_args = {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"};
  test::openssl_server server(options);
  const auto r = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"max_version", "1.2"}, {"ciphers", "ECDHE-ECDSA-CHACHA20-POLY1305"}}));
  CHECK(reason_of(r) == "tls.handshake_failed");
  CHECK(details_of(r)["alert_received"] == "handshake failure");
}

TEST_CASE("tls probe: ALPN offered and chosen by the server is evidence") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.extra_args = {"-alpn", "h2,http/1.1"};
  test::openssl_server server(options);
  const auto r =
      test::run_check(tls_check(server.target(), {{"sni", "good.test"}, {"alpn", {"http/1.1", "h2"}}}));
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["tls"]["alpn"] == "h2");
}

TEST_CASE("tls probe: a small client CA list: names and bytes as openssl s_client sees them") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.client_ca_names = pki.root();
  test::openssl_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::pass);
  const auto& client = details_of(r)["tls"]["client_certificate"];
  CHECK(client["requested"] == true);
  CHECK(client["offered"] == false);
  CHECK(client["ca_names"] == json{test::openssl_x509(pki.root()).subject});
  CHECK(client["ca_list_bytes"] == test::ca_list_bytes(pki.root()));
  CHECK(test::acceptable_ca_names(test::openssl_s_client(server.port())).size() == 1);

  // Expecting no request fails; expecting one passes.
  const auto unwanted = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"client_cert_requested", false}}}}));
  CHECK(reason_of(unwanted) == "tls.client_cert_required");
  CHECK(test::run_check(tls_check(server.target(),
                                  {{"sni", "good.test"}, {"expect", {{"client_cert_requested", true}}}}))
            .outcome.state == status::pass);
}

TEST_CASE("tls probe: a client CA list over 16 KB: warned as Schannel's limit, failed over the check's maximum") {
  const auto& pki = shared_pki();
  const auto cas = pki.many_cas(17000);
  const auto expected_bytes = test::ca_list_bytes(cas);
  REQUIRE(expected_bytes > 16384);
  test::tls_server_options options(pki.good());
  options.client_ca_names = cas;
  test::nginx_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::warn);
  CHECK(reason_of(r) == "tls.client_ca_list_large");
  const auto& client = details_of(r)["tls"]["client_certificate"];
  CHECK(client["ca_list_bytes"] == expected_bytes);
  CHECK(r.outcome.message.find(std::to_string(expected_bytes) + " bytes") != std::string::npos);
  // Every name nginx sent, as many as openssl s_client counts.
  const auto seen = test::acceptable_ca_names(test::openssl_s_client(server.port(), {"-servername", "good.test"}));
  CHECK(client["ca_names"].size() == seen.size());
  CHECK(seen.size() > 50);

  const auto capped = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"max_client_ca_list_bytes", 20000}}}}));
  CHECK(capped.outcome.state == (expected_bytes > 20000 ? status::fail : status::pass));
  const auto strict = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"max_client_ca_list_bytes", 4096}}}}));
  CHECK(strict.outcome.state == status::fail);
  CHECK(reason_of(strict) == "tls.client_ca_list_large");
}

TEST_CASE("tls probe: a server that requires a client certificate: tls.client_cert_required, pass when one is given") {
  const auto& pki = shared_pki();
  test::tls_server_options options(pki.good());
  options.client_ca_names = pki.root();
  options.extra_args = {"-Verify", "2", "-verify_return_error"};
  test::openssl_server server(options);
  const auto r = test::run_check(tls_check(server.target(), {{"sni", "good.test"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.client_cert_required");
  const auto with_cert = test::run_check(tls_check(
      server.target(),
      {{"sni", "good.test"}, {"client_cert", pki.client().chain.string()}, {"client_key", pki.client().key.string()}}));
  INFO(with_cert.outcome.message);
  CHECK(with_cert.outcome.state == status::pass);
  CHECK(details_of(with_cert)["tls"]["client_certificate"]["offered"] == true);
}

TEST_CASE("tls probe: client_cert_requested true against a listener that does not ask: tls.client_cert_not_requested") {
  const auto& pki = shared_pki();
  test::nginx_server server(pki.good());
  const auto r = test::run_check(
      tls_check(server.target(), {{"sni", "good.test"}, {"expect", {{"client_cert_requested", true}}}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.client_cert_not_requested");
}

TEST_CASE("tls probe: plain HTTP where TLS was expected: tls.not_tls with the first bytes") {
  auto server = test::nginx_server::plain_http();
  const auto r = test::run_check(tls_check(server.target()));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "tls.not_tls");
  CHECK(details_of(r)["first_bytes"].get<std::string>().starts_with("HTTP/1.1 400"));
  CHECK(r.outcome.message.find("plain HTTP") != std::string::npos);
}

TEST_CASE("tls probe: SMTP STARTTLS to the tls responder, openssl s_client -starttls smtp sees the same certificate") {
  smtp_responder_fixture smtp;
  const auto r = test::run_check(tls_check(smtp.target(), {{"sni", "good.test"}, {"starttls", "smtp"}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  const auto transcript = d["starttls"].dump();
  CHECK(transcript.find("EHLO [127.0.0.1]") != std::string::npos);
  CHECK(transcript.find("STARTTLS") != std::string::npos);
  REQUIRE(r.addresses.front().phases.size() == 3);
  CHECK(r.addresses.front().phases[1].name == "starttls");
  const auto fingerprint = d["tls"]["chain"][0]["sha256"].get<std::string>();
  CHECK(fingerprint == test::openssl_x509(shared_pki().good().cert).sha256);
  // The independent client: s_client upgrades and shows the same leaf.
  const auto seen = test::openssl_s_client(smtp.port(), {"-starttls", "smtp", "-showcerts"});
  CHECK(seen.find("CN = good.test") != std::string::npos);
  CHECK(seen.find("250") != std::string::npos); // it read the EHLO answer
  // Without starttls the probe's ClientHello meets the SMTP greeting.
  const auto direct = test::run_check(tls_check(smtp.target(), {{"sni", "good.test"}}));
  CHECK(reason_of(direct) == "tls.not_tls");
  CHECK(direct.outcome.message.find("starttls: smtp") != std::string::npos);
}

TEST_CASE("tls probe: SMTP servers that do not upgrade, replayed from Postfix's own bytes") {
  const auto greeting = test::corpus_bytes("smtp_reply", "postfix_greeting.bin");
  const auto ehlo = test::corpus_bytes("smtp_reply", "postfix_ehlo.bin");
  // STARTTLS offered, then refused: Postfix without a usable certificate.
  test::scripted_peer broken({greeting, ehlo, test::corpus_bytes("smtp_reply", "postfix_starttls_454.bin")});
  const auto refused = test::run_check(tls_check(broken.target(), {{"starttls", "smtp"}}));
  CHECK(reason_of(refused) == "tls.handshake_failed");
  CHECK(refused.outcome.message.find("454 \"4.7.0 TLS not available due to local problem\"") != std::string::npos);
  CHECK(details_of(refused)["starttls"].dump().find("STARTTLS") != std::string::npos);

  // No STARTTLS in the EHLO answer: TLS is off, or a firewall's SMTP fixup hid it.
  std::string stripped = ehlo;
  stripped.erase(stripped.find("250-STARTTLS\r\n"), 14);
  test::scripted_peer plain({greeting, stripped});
  const auto none = test::run_check(tls_check(plain.target(), {{"starttls", "smtp"}}));
  CHECK(reason_of(none) == "tls.not_tls");
  CHECK(none.outcome.message.find("does not offer STARTTLS") != std::string::npos);

  // A service that is not SMTP at all.
  test::scripted_peer http({"HTTP/1.1 400 Bad Request\r\n\r\n"});
  const auto wrong = test::run_check(tls_check(http.target(), {{"starttls", "smtp"}}));
  CHECK(reason_of(wrong) == "tls.not_tls");
}

TEST_CASE("tls probe: transport failures keep their tcp.* reason, a silent service ends at the check's deadline") {
  const auto refused = test::run_check(tls_check("127.0.0.1:1"));
  CHECK(reason_of(refused) == "tcp.refused");
  CHECK(details_of(refused).contains("tls") == false);

  resetting_listener resetting;
  const auto reset = test::run_check(tls_check(resetting.target(), {{"sni", "sip.contoso.test"}}));
  CHECK(reason_of(reset) == "tcp.reset");
  CHECK(reset.outcome.message.find("during the TLS handshake (SNI sip.contoso.test)") != std::string::npos);

  silent_listener silent;
  const auto r = test::run_check(tls_check(silent.target(), {{"timeout", "500ms"}}));
  CHECK(reason_of(r) == "check.timeout");
  CHECK(r.outcome.message.find("phase tls") != std::string::npos);
  CHECK(r.duration_ms < 1500); // the 500 ms deadline, not the OS's
}

} // TEST_SUITE
