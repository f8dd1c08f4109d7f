// TDS PRELOGIN codec on real bytes: the examples in [MS-TDS] 4.1 and [MS-SSTDS]
// 4.1, the PRELOGIN packets FreeTDS 1.3.17 (`tsql -H 127.0.0.1 -p PORT`, and via
// `tsql -S 127.0.0.1\SQLEXPRESS`) and nmap 7.93 (ms-sql-info's version check,
// and the probe in nmap-service-probes) sent to loopback listeners, a SQL Server
// 2005 answer completed from nmap's fingerprint of it, and answers built by this
// codec that nmap and FreeTDS acted on: nmap reported 15.00.2000 and
// 16.00.1000.06 from them, FreeTDS answered ENCRYPT_NOT_SUP with a clear-text
// LOGIN7 and ENCRYPT_OFF with a TLS ClientHello inside a PRELOGIN packet (kept
// too: a 0x12 packet that is not a PRELOGIN table). The files live in
// tests/fuzz/corpus/tds_prelogin, where they also seed the fuzz target.
#include "probes/sqlbrowser/prelogin.hpp"

#include "support/corpus_file.hpp"
#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using test::from_hex;
using bytes = std::vector<std::uint8_t>;

namespace {

bytes corpus(const std::string& name) {
  const std::string raw = test::corpus_bytes("tds_prelogin", name);
  INFO(name);
  REQUIRE(!raw.empty());
  return bytes(raw.begin(), raw.end());
}

tds::client_prelogin client_ok(const bytes& b) {
  auto r = tds::parse_client_prelogin(b);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

tds::server_prelogin server_ok(const bytes& b) {
  auto r = tds::parse_server_prelogin(b);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

wire::failure packet_fails(const bytes& b) {
  auto r = tds::decode_packet(b);
  REQUIRE_FALSE(r);
  return r.error;
}

} // namespace

TEST_SUITE("sqlbrowser") {

TEST_CASE("tds: the [MS-TDS] 4.1 PRELOGIN request") {
  const auto b = corpus("ms_tds_4_1_prelogin_request.bin");
  const auto packet = tds::decode_packet(b);
  REQUIRE(packet);
  CHECK(packet.value->header == tds::packet_header{0x12, 0x01, 47, 0, 1, 0});
  REQUIRE(packet.value->options.size() == 5);
  CHECK(packet.value->find(tds::option::threadid)->data == bytes{0xB8, 0x0D, 0x00, 0x00});
  CHECK(packet.value->find(tds::option::traceid) == nullptr);

  const auto c = client_ok(b);
  CHECK(c.version == tds::version_info{9, 0, 0, 0});
  CHECK(c.encryption == tds::encrypt::on);
  CHECK(c.instance.empty());
  CHECK(c.thread_id == 3512);
  CHECK(c.mars == 1);
  CHECK(c.others.empty());
  // The builder lays the same request out byte for byte.
  CHECK(tds::build_client_prelogin(c) == b);
}

TEST_CASE("tds: the [MS-SSTDS] 4.1 request and nmap's service probe") {
  const auto sstds = corpus("ms_sstds_4_1_prelogin_request.bin");
  const auto c = client_ok(sstds);
  CHECK(c.version == tds::version_info{8, 0, 341, 0});
  CHECK(c.encryption == tds::encrypt::off);
  CHECK(c.instance == "MSSQLServer");
  CHECK(c.thread_id == 6528);
  CHECK_FALSE(c.mars); // no MARS option at all (SQL Server 2000 era)
  CHECK(tds::build_client_prelogin(c) == sstds);

  // nmap -sV's ms-sql-s probe is the same request with packet id 0 and another thread id.
  const auto probe = corpus("nmap_7.93_service_probe_prelogin.bin");
  CHECK(tds::decode_packet(probe).value->header.packet_id == 0);
  const auto p = client_ok(probe);
  CHECK(p.version == c.version);
  CHECK(p.instance == "MSSQLServer");
  CHECK(p.thread_id == 3912);
}

TEST_CASE("tds: FreeTDS 1.3.17's PRELOGIN") {
  const auto b = corpus("freetds_1.3.17_prelogin_mssqlserver.bin");
  const auto packet = tds::decode_packet(b);
  REQUIRE(packet);
  CHECK(packet.value->header == tds::packet_header{0x12, 0x01, 58, 0, 0, 0}); // FreeTDS numbers from 0
  const auto c = client_ok(b);
  CHECK(c.version == tds::version_info{9, 0, 0, 0});
  CHECK(c.encryption == tds::encrypt::off);
  CHECK(c.instance == "MSSQLServer"); // sent even when no instance was named
  CHECK(c.thread_id == 4509);         // tsql's process id, little-endian
  CHECK(c.mars == 0);

  const auto named = client_ok(corpus("freetds_1.3.17_prelogin_sqlexpress.bin"));
  CHECK(named.instance == "SQLEXPRESS");
  CHECK(named.thread_id == 6914);

  // Apart from the packet id, edgeprobe's builder writes FreeTDS's bytes.
  auto ours = tds::build_client_prelogin(c);
  REQUIRE(ours);
  (*ours)[6] = 0;
  CHECK(*ours == b);
}

TEST_CASE("tds: nmap 7.93's PRELOGIN") {
  const auto b = corpus("nmap_7.93_prelogin_mssqlserver.bin");
  const auto c = client_ok(b);
  CHECK(c.version == tds::version_info{9, 0, 1399, 0});
  CHECK(c.version.text() == "9.0.1399");
  CHECK(c.encryption == tds::encrypt::off);
  CHECK(c.instance == "MSSQLSERVER");
  CHECK(c.thread_id == 0);
  CHECK_FALSE(c.mars);
  CHECK(tds::build_client_prelogin(c) == b);
  CHECK(client_ok(corpus("nmap_7.93_prelogin_sqlexpress.bin")).instance == "SQLEXPRESS");
}

TEST_CASE("tds: the client PRELOGIN edgeprobe sends") {
  tds::client_prelogin request; // defaults: version 9.0.0.0, ENCRYPT_OFF, thread 0, MARS off
  auto b = tds::build_client_prelogin(request);
  REQUIRE(b);
  CHECK(*b == from_hex("12 01 00 2F 00 00 01 00"
                       "00 00 1A 00 06  01 00 20 00 01  02 00 21 00 01  03 00 22 00 04  04 00 26 00 01  FF"
                       "09 00 00 00 00 00  00  00  00 00 00 00  00"));
  CHECK(client_ok(*b) == request);

  request.instance = "SQLEXPRESS";
  request.thread_id = 4242;
  b = tds::build_client_prelogin(request);
  CHECK(*b == corpus("edgeprobe_client_prelogin.bin"));
  CHECK(client_ok(*b) == request);

  request.instance = std::string("A\0B", 3);
  CHECK_FALSE(tds::build_client_prelogin(request));
  request.instance.clear();
  request.others = {{tds::option::mars, {1}}}; // typed options are set through their fields
  CHECK_FALSE(tds::build_client_prelogin(request));
  request.others = {{tds::option::traceid, bytes(65500, 0)}};
  CHECK_FALSE(tds::build_client_prelogin(request)); // over 65,535 bytes
  request.others = {{tds::option::traceid, bytes(36, 0x11)}};
  b = tds::build_client_prelogin(request);
  REQUIRE(b);
  CHECK(client_ok(*b) == request);
}

TEST_CASE("tds: the server answers nmap and FreeTDS acted on") {
  const auto not_sup = corpus("responder_prelogin_response_not_sup.bin");
  CHECK(not_sup == from_hex("04 01 00 2B 00 00 01 00"
                            "00 00 1A 00 06  01 00 20 00 01  02 00 21 00 01  03 00 22 00 00  04 00 22 00 01  FF"
                            "0F 00 07 D0 00 00  02  00  00"));
  const auto s = server_ok(not_sup);
  CHECK(s.version == tds::version_info{15, 0, 2000, 0});
  CHECK(s.version.text() == "15.0.2000");
  CHECK(s.encryption == tds::encrypt::not_sup);
  CHECK(tds::encryption_name(s.encryption) == "ENCRYPT_NOT_SUP");
  CHECK(s.instance_validity == 0);
  CHECK(s.mars == 0);
  CHECK_FALSE(s.fed_auth_required);
  REQUIRE(s.others.size() == 1);
  CHECK(s.others[0] == tds::prelogin_option{tds::option::threadid, {}}); // empty, as SQL Server sends it
  CHECK(tds::build_server_prelogin(s) == not_sup);

  // Sub-build 6: nmap printed 16.00.1000.06 (big-endian, as here); Wireshark 4.0
  // shows "Sub-build: 1536" (little-endian). SQL Server sends 0 there.
  const auto off = server_ok(corpus("responder_prelogin_response_off.bin"));
  CHECK(off.version == tds::version_info{16, 0, 1000, 6});
  CHECK(off.version.text() == "16.0.1000");
  CHECK(off.encryption == tds::encrypt::off);
  CHECK(tds::encryption_name(off.encryption) == "ENCRYPT_OFF");
}

TEST_CASE("tds: a SQL Server 2005 answer laid out as nmap fingerprints it") {
  const auto b = corpus("nmap_match_sql2005_rtm_completed.bin");
  const auto packet = tds::decode_packet(b);
  REQUIRE(packet);
  CHECK(packet.value->header == tds::packet_header{0x04, 0x01, 37, 0, 1, 0});
  const auto s = server_ok(b);
  CHECK(s.version.text() == "9.0.1399"); // nmap's match line says v/9.00.1399; RTM
  CHECK(s.version.sub_build == 0);
  CHECK(s.encryption == tds::encrypt::not_sup);
  CHECK(s.instance_validity == 0);
  CHECK_FALSE(s.mars);
  REQUIRE(s.others.size() == 1);
  CHECK(s.others[0].token == tds::option::threadid);
  CHECK(s.others[0].data.empty()); // offset 29 = the end of the data, length 0
  CHECK(tds::build_server_prelogin(s) == b);
}

TEST_CASE("tds: server answers round-trip, options in token order") {
  tds::server_prelogin s;
  s.version = {16, 0, 4135, 4};
  s.encryption = tds::encrypt::req;
  s.instance_validity = 1;
  s.fed_auth_required = 1;
  s.others = {{tds::option::nonceopt, bytes(32, 0xAB)}, {tds::option::threadid, {}}};
  const auto b = tds::build_server_prelogin(s);
  REQUIRE(b);
  const auto packet = tds::decode_packet(*b);
  REQUIRE(packet);
  std::vector<std::uint8_t> tokens;
  for (const auto& o : packet.value->options) tokens.push_back(o.token);
  CHECK(tokens == bytes{0x00, 0x01, 0x02, 0x03, 0x06, 0x07});
  auto back = server_ok(*b);
  CHECK(back.version == s.version);
  CHECK(back.encryption == tds::encrypt::req);
  CHECK(back.instance_validity == 1);
  CHECK(back.fed_auth_required == 1);
  CHECK_FALSE(back.mars);
  REQUIRE(back.others.size() == 2);
  CHECK(back.others[0] == tds::prelogin_option{tds::option::threadid, {}});
  CHECK(back.others[1] == tds::prelogin_option{tds::option::nonceopt, bytes(32, 0xAB)});

  s.others = {{tds::option::version, bytes(6, 0)}};
  CHECK_FALSE(tds::build_server_prelogin(s));
  s.others = {{tds::option::threadid, {}}, {tds::option::threadid, {}}};
  CHECK_FALSE(tds::build_server_prelogin(s));
  s.others = {{tds::option::terminator, {}}};
  CHECK_FALSE(tds::build_server_prelogin(s));
}

TEST_CASE("tds: the header and the option table are bounds-checked") {
  const auto good = corpus("ms_tds_4_1_prelogin_request.bin"); // 47 bytes, table ends at data offset 26
  auto b = good;
  b[3] = 48;
  auto e = packet_fails(b);
  CHECK(e.offset == 47);
  CHECK(e.what == "packet ends after 47 of the 48 bytes its header announces");
  b[3] = 46;
  e = packet_fails(b);
  CHECK(e.offset == 46);
  CHECK(e.what == "1 bytes follow the 46-byte packet");
  b[3] = 7;
  e = packet_fails(b);
  CHECK(e.offset == 2);
  CHECK(e.what == "header length 7 is shorter than the header itself");

  b = good;
  b[1] = 0x00;
  e = packet_fails(b);
  CHECK(e.offset == 1);
  CHECK(e.what == "status 0x00 lacks EOM: a PRELOGIN split over packets is not supported");

  b = good;
  b[10] = 0x19; // VERSION's data offset 26 -> 25, inside the table
  e = packet_fails(b);
  CHECK(e.offset == 9);
  CHECK(e.what == "VERSION data at 25 lies inside the option table (which ends at 26)");

  b = good;
  b[12] = 0x30; // VERSION's length 6 -> 48
  e = packet_fails(b);
  CHECK(e.offset == 9);
  CHECK(e.what == "VERSION data (48 bytes at 26) runs past the packet's 39 bytes of data");

  b = good;
  b[24] = 0xFF; // THREADID's offset 0x0022 -> 0xFF22
  e = packet_fails(b);
  CHECK(e.offset == 24);
  CHECK(e.what == "THREADID data (4 bytes at 65314) runs past the packet's 39 bytes of data");

  b = good;
  b[13] = 0x00; // ENCRYPTION's token -> VERSION again
  e = packet_fails(b);
  CHECK(e.offset == 13);
  CHECK(e.what == "option VERSION appears twice");

  e = packet_fails(from_hex("12 01 00 0D 00 00 01 00  00 00 05 00 00"));
  CHECK(e.offset == 13);
  CHECK(e.what == "option table ends without TERMINATOR (0xFF)");
  e = packet_fails(from_hex("12 01 00 0B 00 00 01 00  00 00 05"));
  CHECK(e.offset == 8);
  CHECK(e.what == "option table entry for VERSION runs past the packet");
  e = packet_fails(from_hex("12 01 00 08 00 00 01 00"));
  CHECK(e.offset == 8);
  CHECK(e.what == "option table ends without TERMINATOR (0xFF)");
  e = packet_fails(from_hex("12 01 00"));
  CHECK(e.offset == 3);
  CHECK(e.what == "shorter than a TDS packet header (8 bytes)");

  // Every prefix of a real packet fails without reading past it.
  for (std::size_t n = 0; n < good.size(); ++n) {
    CAPTURE(n);
    CHECK_FALSE(tds::decode_packet(bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n))));
  }
}

TEST_CASE("tds: typed checks on each direction") {
  // The server's answer must be a tabular result, the client's a PRELOGIN.
  auto s = tds::parse_server_prelogin(corpus("ms_tds_4_1_prelogin_request.bin"));
  CHECK(s.error.offset == 0);
  CHECK(s.error.what == "packet type 0x12 is not a tabular result (0x04)");
  auto c = tds::parse_client_prelogin(corpus("responder_prelogin_response_not_sup.bin"));
  CHECK(c.error.what == "packet type 0x04 is not PRELOGIN (0x12)");

  auto b = corpus("nmap_match_sql2005_rtm_completed.bin");
  b[12] = 5; // VERSION 6 -> 5 bytes
  s = tds::parse_server_prelogin(b);
  CHECK(s.error.offset == 11);
  CHECK(s.error.what == "VERSION is 5 bytes, not 6");

  s = tds::parse_server_prelogin(from_hex("04 01 00 14 00 00 01 00  00 00 06 00 06 FF  0F 00 07 D0 00 00"));
  CHECK(s.error.offset == 8);
  CHECK(s.error.what == "PRELOGIN has no ENCRYPTION option");
  s = tds::parse_server_prelogin(from_hex("04 01 00 0F 00 00 01 00  01 00 06 00 01 FF  02"));
  CHECK(s.error.what == "PRELOGIN has no VERSION option");

  c = tds::parse_client_prelogin(from_hex("12 01 00 0F 00 00 01 00  01 00 06 00 01 FF  00"));
  CHECK(c.error.offset == 8);
  CHECK(c.error.what == "the first option is not VERSION (a server rejects such a PRELOGIN)");

  b = corpus("freetds_1.3.17_prelogin_mssqlserver.bin");
  b[52] = 'X'; // INSTOPT's NUL
  c = tds::parse_client_prelogin(b);
  CHECK(c.error.offset == 19);
  CHECK(c.error.what == "INSTOPT is not NUL-terminated");

  // After ENCRYPT_OFF, FreeTDS sends its TLS ClientHello in a 0x12 packet: not a table.
  const auto tls = corpus("freetds_1.3.17_tls_client_hello_in_prelogin_packet.bin");
  CHECK(tls[8] == 0x16); // TLS handshake record
  c = tds::parse_client_prelogin(tls);
  CHECK_FALSE(c);
  // Read as a table, the ClientHello's bytes run on until a cipher suite byte repeats.
  CHECK(c.error.offset == 108);
  CHECK(c.error.what == "option 0xC0 appears twice");
}

TEST_CASE("tds: names and framing") {
  CHECK(tds::encryption_name(0x00) == "ENCRYPT_OFF");
  CHECK(tds::encryption_name(0x01) == "ENCRYPT_ON");
  CHECK(tds::encryption_name(0x02) == "ENCRYPT_NOT_SUP");
  CHECK(tds::encryption_name(0x03) == "ENCRYPT_REQ");
  CHECK(tds::encryption_name(0x81) == "ENCRYPT_ON + ENCRYPT_CLIENT_CERT");
  CHECK(tds::encryption_name(0x80) == "ENCRYPT_OFF + ENCRYPT_CLIENT_CERT");
  CHECK(tds::encryption_name(0x20) == "0x20");
  CHECK(tds::encryption_name(0x04) == "0x04");
  CHECK(tds::option_name(tds::option::version) == "VERSION");
  CHECK(tds::option_name(tds::option::instopt) == "INSTOPT");
  CHECK(tds::option_name(tds::option::fedauthrequired) == "FEDAUTHREQUIRED");
  CHECK(tds::option_name(tds::option::terminator) == "TERMINATOR");
  CHECK(tds::option_name(0x42) == "0x42");

  CHECK_FALSE(tds::framed_size(from_hex("04 01 00 2B 00 00 01")));
  CHECK(tds::framed_size(from_hex("04 01 00 2B 00 00 01 00")) == 43);
  CHECK(tds::framed_size(corpus("freetds_1.3.17_tls_client_hello_in_prelogin_packet.bin")) == 525);
}

} // TEST_SUITE
