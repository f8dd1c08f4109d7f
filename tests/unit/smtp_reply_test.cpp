// SMTP replies as the STARTTLS dialogue reads them, on bytes as servers send
// them (Postfix- and Exchange-style EHLO answers) and on broken ones.
#include "probes/tls/smtp_reply.hpp"
#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using parsed = smtp_reply::state;

TEST_SUITE("tls") {

TEST_CASE("smtp reply: a one-line greeting") {
  const std::string greeting = "220 mail.contoso.com ESMTP Postfix (Debian/GNU)\r\n";
  const auto r = parse_smtp_reply(greeting + "250");
  CHECK(r.parsed == parsed::complete);
  CHECK(r.code == 220);
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0] == "mail.contoso.com ESMTP Postfix (Debian/GNU)");
  CHECK(r.consumed == greeting.size());
}

TEST_CASE("smtp reply: a multi-line EHLO answer, and STARTTLS among its extensions") {
  const std::string exchange =
      "250-EX01.contoso.com Hello [192.0.2.7]\r\n250-SIZE 37748736\r\n250-PIPELINING\r\n250-DSN\r\n"
      "250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-X-ANONYMOUSTLS\r\n250-AUTH NTLM\r\n250-8BITMIME\r\n"
      "250-BINARYMIME\r\n250 CHUNKING\r\n";
  const auto r = parse_smtp_reply(exchange + "220 next");
  CHECK(r.parsed == parsed::complete);
  CHECK(r.code == 250);
  CHECK(r.lines.size() == 11);
  CHECK(r.consumed == exchange.size());
  CHECK(offers_starttls(r));

  const auto without = parse_smtp_reply("250-mail.contoso.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
  CHECK(without.parsed == parsed::complete);
  CHECK_FALSE(offers_starttls(without));
  // Case-insensitive, and only as a whole keyword.
  CHECK(offers_starttls(parse_smtp_reply("250-mail\r\n250 starttls\r\n")));
  CHECK_FALSE(offers_starttls(parse_smtp_reply("250-mail\r\n250 STARTTLSX\r\n")));
  CHECK_FALSE(offers_starttls(parse_smtp_reply("250-mail\r\n250-X-STARTTLS\r\n250 OK\r\n")));
}

TEST_CASE("smtp reply: incomplete until the last line has ended") {
  CHECK(parse_smtp_reply("").parsed == parsed::incomplete);
  CHECK(parse_smtp_reply("22").parsed == parsed::incomplete);
  CHECK(parse_smtp_reply("220 mail").parsed == parsed::incomplete);
  CHECK(parse_smtp_reply("250-mail\r\n250-SIZE\r\n").parsed == parsed::incomplete);
  CHECK(parse_smtp_reply("250-mail\r\n250 SIZE").parsed == parsed::incomplete);
}

TEST_CASE("smtp reply: bare LF line ends are accepted, as servers send them") {
  const auto r = parse_smtp_reply("250-mail\n250 STARTTLS\n");
  CHECK(r.parsed == parsed::complete);
  CHECK(r.lines.size() == 2);
  CHECK(offers_starttls(r));
}

TEST_CASE("smtp reply: what is not SMTP is malformed, not waited for") {
  CHECK(parse_smtp_reply("HTTP/1.1 400 Bad Request\r\n").parsed == parsed::malformed);
  CHECK(parse_smtp_reply("SSH-2.0-OpenSSH_9.2p1\r\n").parsed == parsed::malformed);
  // Refused as soon as the first bytes show it, without waiting for a line end.
  CHECK(parse_smtp_reply(std::string("\x16\x03\x01\x00\x05", 5)).parsed == parsed::malformed);
  CHECK(parse_smtp_reply("HTTP/1.1").parsed == parsed::malformed);
  CHECK(parse_smtp_reply("250-mail\r\n25x").parsed == parsed::malformed);
  CHECK(parse_smtp_reply("2x0 hello\r\n").parsed == parsed::malformed);
  CHECK(parse_smtp_reply("220+hello\r\n").parsed == parsed::malformed);
  // A continuation with another code is not one reply.
  CHECK(parse_smtp_reply("250-mail\r\n220 other\r\n").parsed == parsed::malformed);
  // A reply that never ends within the limit is refused, not buffered forever.
  std::string endless;
  while (endless.size() <= max_smtp_reply) endless += "250-PIPELINING\r\n";
  CHECK(parse_smtp_reply(endless).parsed == parsed::malformed);
}

} // TEST_SUITE

namespace {
std::string corpus(const char* name) { return edgeprobe::test::corpus_bytes("smtp_reply", name); }
} // namespace

TEST_SUITE("tls") {

TEST_CASE("smtp reply: bytes captured from Postfix 3.7 and from edgeprobe's responder") {
  const auto greeting = parse_smtp_reply(corpus("postfix_greeting.bin"));
  CHECK(greeting.parsed == parsed::complete);
  CHECK(greeting.code == 220);
  const auto ehlo = parse_smtp_reply(corpus("postfix_ehlo.bin"));
  CHECK(ehlo.parsed == parsed::complete);
  CHECK(ehlo.lines.size() == 11);
  CHECK(offers_starttls(ehlo));
  const auto refused = parse_smtp_reply(corpus("postfix_starttls_454.bin"));
  CHECK(refused.code == 454);
  CHECK(refused.lines.front() == "4.7.0 TLS not available due to local problem");
  CHECK(parse_smtp_reply(corpus("postfix_starttls_ready.bin")).code == 220);
  // Pipelined answers: one reply at a time, each consuming only its own line.
  const auto pipelined = corpus("postfix_pipelined_errors.bin");
  std::string_view rest = pipelined;
  std::vector<int> codes;
  while (!rest.empty()) {
    const auto r = parse_smtp_reply(rest);
    REQUIRE(r.parsed == parsed::complete);
    codes.push_back(r.code);
    rest.remove_prefix(r.consumed);
  }
  CHECK(codes == std::vector<int>{250, 250, 550, 554, 500});
  CHECK(offers_starttls(parse_smtp_reply(corpus("responder_ehlo.bin"))));
}

} // TEST_SUITE
