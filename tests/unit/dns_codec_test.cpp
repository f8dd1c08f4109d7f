// DNS codec on real answers. Every byte string below was captured from unbound
// 1.17.1 (Debian 12) serving a test zone on 127.0.0.1: a Python script sent a
// plain query (RD set, no EDNS) and printed the UDP payload in hex. The zone:
//   alias CNAME alias2; alias2 CNAME multi; multi A 127.0.0.11/.12/.13;
//   _sip._tls SRV 0 5 5061 sip / 10 5 5061 sip2; @ TXT "v=spf1 -all" "second string";
//   @ CAA 0 issue "letsencrypt.org"; @ MX 10 mail; @ NS ns; ns A 127.0.0.53;
//   v6only AAAA fd00::53; SOA ns admin 2024010101 3600 600 86400 300;
//   local-zone refused.test refuse.
#include "wire/dns/codec.hpp"

#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using test::from_hex;

namespace {

dns::message parse_ok(std::string_view hex) {
  const auto bytes = from_hex(hex);
  auto parsed = dns::parse_message(bytes);
  INFO(parsed.error.what);
  REQUIRE(parsed);
  return *parsed.value;
}

std::vector<std::string> texts(const std::vector<dns::record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(dns::type_name(r.type) + " " + dns::rdata_text(r));
  return out;
}

// alias.lab.test A: a two-step CNAME chain and three addresses, all names compressed.
constexpr std::string_view cname_chain =
    "10008580000100050000000005616c696173036c616204746573740000010001c00c000500010000012c000906616c69617332c012c02c00"
    "0500010000012c0008056d756c7469c012c041000100010000012c00047f00000dc041000100010000012c00047f00000bc04100010001000"
    "0012c00047f00000c";
constexpr std::string_view srv_answer =
    "100185800001000200000000045f736970045f746c73036c616204746573740000210001c00c002100010000012c0015000a000513c50473"
    "697032036c6162047465737400c00c002100010000012c00140000000513c503736970036c6162047465737400";
constexpr std::string_view txt_answer =
    "100285800001000100000000036c616204746573740000100001c00c001000010000012c001a0b763d73706631202d616c6c0d7365636f6e"
    "6420737472696e67";
constexpr std::string_view caa_answer =
    "100385800001000100000000036c616204746573740001010001c00c010100010000012c0016000569737375656c657473656e637279707"
    "42e6f7267";
constexpr std::string_view mx_answer =
    "100485800001000100000000036c6162047465737400000f0001c00c000f00010000012c0009000a046d61696cc00c";
constexpr std::string_view ns_answer =
    "100585800001000100000001036c616204746573740000020001c00c000200010000012c0005026e73c00cc026000100010000012c00047f"
    "000035";
constexpr std::string_view aaaa_answer =
    "1006858000010001000000000676366f6e6c79036c6162047465737400001c0001c00c001c00010000012c0010fd0000000000000000000000"
    "00000053";
constexpr std::string_view nxdomain_answer =
    "100785830001000000010000046e6f7065036c616204746573740000010001c011000600010000012c0021026e73c0110561646d696ec011"
    "78a3f17500000e1000000258000151800000012c";
constexpr std::string_view nodata_answer =
    "100885800001000000010000056d756c7469036c616204746573740000100001c012000600010000012c0021026e73c0120561646d696ec0"
    "1278a3f17500000e1000000258000151800000012c";
constexpr std::string_view refused_answer = "1009858500010000000000000178077265667573656404746573740000010001";

} // namespace

TEST_SUITE("dns") {

TEST_CASE("codec: a CNAME chain with compressed names") {
  const auto m = parse_ok(cname_chain);
  CHECK(m.head.id == 0x1000);
  CHECK(m.head.qr);
  CHECK(m.head.aa);
  CHECK(m.head.rd);
  CHECK(m.head.ra);
  CHECK(m.head.rcode == dns::rcode::noerror);
  REQUIRE(m.questions.size() == 1);
  CHECK(m.questions[0].name == "alias.lab.test");
  CHECK(m.questions[0].type == dns::type::a);
  CHECK(texts(m.answers) == std::vector<std::string>{"CNAME alias2.lab.test", "CNAME multi.lab.test", "A 127.0.0.13",
                                                     "A 127.0.0.11", "A 127.0.0.12"});
  CHECK(m.answers[1].name == "alias2.lab.test");
  CHECK(m.answers[2].name == "multi.lab.test");
  CHECK(m.answers[2].ttl == 300);
}

TEST_CASE("codec: SRV, TXT, CAA, MX, NS with glue, AAAA") {
  CHECK(texts(parse_ok(srv_answer).answers) ==
        std::vector<std::string>{"SRV 10 5 5061 sip2.lab.test", "SRV 0 5 5061 sip.lab.test"});
  const auto srv = std::get<dns::srv_rdata>(parse_ok(srv_answer).answers[1].data);
  CHECK(srv.priority == 0);
  CHECK(srv.weight == 5);
  CHECK(srv.port == 5061);
  CHECK(srv.target == "sip.lab.test");

  const auto txt = parse_ok(txt_answer);
  REQUIRE(txt.answers.size() == 1);
  CHECK(std::get<dns::txt_rdata>(txt.answers[0].data).strings == std::vector<std::string>{"v=spf1 -all", "second string"});
  CHECK(dns::rdata_text(txt.answers[0]) == "v=spf1 -allsecond string");

  CHECK(texts(parse_ok(caa_answer).answers) == std::vector<std::string>{"CAA 0 issue \"letsencrypt.org\""});
  CHECK(texts(parse_ok(mx_answer).answers) == std::vector<std::string>{"MX 10 mail.lab.test"});
  const auto ns = parse_ok(ns_answer);
  CHECK(texts(ns.answers) == std::vector<std::string>{"NS ns.lab.test"});
  CHECK(texts(ns.additional) == std::vector<std::string>{"A 127.0.0.53"});
  CHECK(texts(parse_ok(aaaa_answer).answers) == std::vector<std::string>{"AAAA fd00::53"});
}

TEST_CASE("codec: NXDOMAIN, NODATA and REFUSED") {
  const auto nx = parse_ok(nxdomain_answer);
  CHECK(nx.head.rcode == dns::rcode::nxdomain);
  CHECK(dns::rcode_name(nx.head.rcode) == "NXDOMAIN");
  CHECK(nx.answers.empty());
  REQUIRE(nx.authority.size() == 1);
  const auto soa = std::get<dns::soa_rdata>(nx.authority[0].data);
  CHECK(soa.mname == "ns.lab.test");
  CHECK(soa.rname == "admin.lab.test");
  CHECK(soa.serial == 2024010101u);
  CHECK(soa.minimum == 300u);

  const auto nodata = parse_ok(nodata_answer);
  CHECK(nodata.head.rcode == dns::rcode::noerror);
  CHECK(nodata.answers.empty());
  CHECK(nodata.authority.size() == 1);

  const auto refused = parse_ok(refused_answer);
  CHECK(dns::rcode_name(refused.head.rcode) == "REFUSED");
  CHECK(refused.questions[0].name == "x.refused.test");
}

TEST_CASE("codec: every truncation of a real answer is an error, never a crash") {
  for (auto hex : {cname_chain, srv_answer, txt_answer, caa_answer, nxdomain_answer}) {
    const auto bytes = from_hex(hex);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      auto parsed = dns::parse_message(std::span(bytes.data(), n));
      CHECK_MESSAGE(!parsed, "accepted a message cut to ", n, " bytes");
      CHECK(!parsed.error.what.empty());
    }
  }
}

TEST_CASE("codec: lying lengths and looping pointers are rejected") {
  auto bytes = from_hex(cname_chain);
  SUBCASE("a pointer to itself") {
    bytes[32] = 0xC0;
    bytes[33] = 32; // the first answer's name points at its own offset
    auto parsed = dns::parse_message(bytes);
    REQUIRE(!parsed);
    CHECK(parsed.error.offset == 32);
    CHECK(parsed.error.what.find("backwards") != std::string::npos);
  }
  SUBCASE("a pointer forwards") {
    bytes[32] = 0xC0;
    bytes[33] = 60;
    CHECK(!dns::parse_message(bytes));
  }
  SUBCASE("an A record claiming 5 bytes") {
    // The third answer (A 127.0.0.13) has its rdlength at offset 83.
    REQUIRE(bytes[83] == 0x00);
    REQUIRE(bytes[84] == 0x04);
    bytes[84] = 5;
    auto parsed = dns::parse_message(bytes);
    CHECK(!parsed);
  }
  SUBCASE("an answer count larger than the answers") {
    bytes[7] = 0x06;
    CHECK(!dns::parse_message(bytes));
  }
  SUBCASE("a name longer than 255 bytes, built from pointers to long labels") {
    std::vector<std::uint8_t> msg(12, 0);
    msg[5] = 1; // one question
    // Five 63-byte labels = 320 bytes of name.
    for (int l = 0; l < 5; ++l) {
      msg.push_back(63);
      msg.insert(msg.end(), 63, 'a');
    }
    msg.push_back(0);
    msg.insert(msg.end(), {0, 1, 0, 1});
    auto parsed = dns::parse_message(msg);
    REQUIRE(!parsed);
    CHECK(parsed.error.what.find("255") != std::string::npos);
  }
}

TEST_CASE("codec: a query built here is what dig would send, and answers round-trip") {
  const auto query = dns::build_query(0x1000, "alias.lab.test", dns::type::a, true);
  REQUIRE(query);
  // The question section of the captured answer is the same bytes (12..31).
  const auto captured = from_hex(cname_chain);
  CHECK(std::vector<std::uint8_t>(query->begin() + 12, query->end()) ==
        std::vector<std::uint8_t>(captured.begin() + 12, captured.begin() + 32));
  CHECK((*query)[2] == 0x01); // RD
  CHECK(!dns::build_query(1, std::string(64, 'a') + ".test", dns::type::a, true));
  CHECK(!dns::build_query(1, "a..test", dns::type::a, true));

  for (auto hex : {cname_chain, srv_answer, txt_answer, caa_answer, mx_answer, ns_answer, aaaa_answer, nxdomain_answer}) {
    const auto original = parse_ok(hex);
    const auto encoded = dns::encode_message(original);
    REQUIRE(encoded);
    const auto again = dns::parse_message(*encoded);
    REQUIRE(again);
    CHECK(texts(again.value->answers) == texts(original.answers));
    CHECK(texts(again.value->authority) == texts(original.authority));
    CHECK(again.value->head.rcode == original.head.rcode);
  }
}

TEST_CASE("codec: names with odd bytes are escaped and encoded back") {
  dns::message m;
  m.questions.push_back({"we\\.ird\\032label.test", dns::type::txt, dns::class_in});
  const auto bytes = dns::encode_message(m);
  REQUIRE(bytes);
  CHECK((*bytes)[12] == 12); // the escapes decode: "we.ird label" is one 12-byte label
  const auto back = dns::parse_message(*bytes);
  REQUIRE(back);
  CHECK(back.value->questions[0].name == "we\\.ird\\032label.test");
}

TEST_CASE("codec: type and rcode names") {
  CHECK(dns::type_from_name("srv") == dns::type::srv);
  CHECK(dns::type_from_name("CAA") == dns::type::caa);
  CHECK(!dns::type_from_name("SPF"));
  CHECK(dns::type_name(65) == "TYPE65");
  CHECK(dns::rcode_from_name("nxdomain") == dns::rcode::nxdomain);
  CHECK(dns::rcode_name(11) == "RCODE11");
  CHECK(dns::same_name("Sip.Contoso.com.", "sip.contoso.com"));
  CHECK(!dns::same_name("sip.contoso.com", "sip.contoso.co"));
}

} // TEST_SUITE
