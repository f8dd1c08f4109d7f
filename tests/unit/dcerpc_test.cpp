// DCE/RPC codec on real bytes. The answers were captured from Samba 4.17's
// samba-dcerpcd (endpoint mapper on 127.0.0.1:135 in a network namespace,
// standalone server, `rpc start on demand helpers = no`) by a Python script
// that built its requests by hand with struct; the client requests are what
// impacket's hept_map sent to the same server through a recording relay. Both
// are witnesses independent of this codec. The captures live in
// tests/fuzz/corpus/dcerpc_pdu (whole PDUs) and tests/fuzz/corpus/epm_tower
// (tower octet strings cut out of those answers), where they also seed the
// fuzz targets. Ports in them (samr 49154, winreg 49153) are what that Samba
// happened to choose.
#include "probes/rpc_epm/dcerpc.hpp"

#include "support/corpus_file.hpp"
#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

using namespace edgeprobe;
using test::from_hex;
using bytes = std::vector<std::uint8_t>;

namespace {

// Hex text without the spaces that group fields in expectations.
std::string hex(std::string_view spaced) {
  std::string out;
  for (char c : spaced)
    if (c != ' ') out.push_back(c);
  return out;
}

std::string to_hex(std::span<const std::uint8_t> b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto c : b) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

bytes corpus(const std::string& target, const std::string& name) {
  const std::string raw = test::corpus_bytes(target, name);
  INFO(target << "/" << name);
  REQUIRE(!raw.empty());
  return bytes(raw.begin(), raw.end());
}

bytes pdu_file(const std::string& name) { return corpus("dcerpc_pdu", name); }
bytes tower_file(const std::string& name) { return corpus("epm_tower", name); }

dcerpc::pdu decode_ok(const bytes& b) {
  auto r = dcerpc::decode_pdu(b);
  INFO(r.error.offset << ": " << r.error.what);
  REQUIRE(r);
  return *r.value;
}

template <class T> T decode_as(const bytes& b) {
  const auto p = decode_ok(b);
  REQUIRE(std::holds_alternative<T>(p));
  return std::get<T>(p);
}

dcerpc::ept_map_response map_answer(const std::string& name) {
  const auto resp = decode_as<dcerpc::response_pdu>(pdu_file(name));
  auto r = dcerpc::decode_ept_map_response(resp.stub);
  INFO(r.error.offset << ": " << r.error.what);
  REQUIRE(r);
  return *r.value;
}

dcerpc::ept_lookup_response lookup_answer(std::span<const std::uint8_t> stub) {
  auto r = dcerpc::decode_ept_lookup_response(stub);
  INFO(r.error.offset << ": " << r.error.what);
  REQUIRE(r);
  return *r.value;
}

dcerpc::tower tower_ok(std::span<const std::uint8_t> b) {
  auto r = dcerpc::decode_tower(b);
  INFO(r.error.offset << ": " << r.error.what);
  REQUIRE(r);
  return *r.value;
}

dcerpc::syntax_id syntax(std::string_view text, std::uint16_t major, std::uint16_t minor) {
  const auto u = dcerpc::parse_uuid(text);
  REQUIRE(u);
  return {*u, major, minor};
}

// The ncacn_ip_tcp tower a client asks ept_map with, for samr v1.0: C706
// appendix L floors, floor 4 port 0 and floor 5 address 0.0.0.0. 75 bytes.
constexpr std::string_view samr_query_tower_hex =
    "0500"                                                     // 5 floors
    "1300 0d 785734123412cdabef000123456789ac 0100 0200 0000" // samr v1.0
    "1300 0d 045d888aeb1cc9119fe808002b104860 0200 0200 0000" // NDR v2.0
    "0100 0b 0200 0000"                                       // ncacn, minor 0
    "0100 07 0200 0000"                                       // TCP port 0 (big-endian)
    "0100 09 0400 00000000";                                  // IPv4 0.0.0.0

std::string binding_of(const dcerpc::ept_entry& e) { return e.endpoint ? dcerpc::binding_text(*e.endpoint) : "-"; }

} // namespace

TEST_SUITE("epm") {

TEST_CASE("dcerpc: UUIDs in text and in the little-endian-mixed wire form") {
  const auto epm = dcerpc::parse_uuid("e1af8308-5d1f-11c9-91a4-08002b14a0fa");
  REQUIRE(epm);
  CHECK(to_hex(epm->bytes) == "e1af83085d1f11c991a408002b14a0fa");
  CHECK(to_hex(dcerpc::to_wire(*epm)) == "0883afe11f5dc91191a408002b14a0fa");
  const auto wire = dcerpc::to_wire(*epm);
  CHECK(dcerpc::uuid_from_wire(std::span<const std::uint8_t, 16>(wire)) == *epm);
  CHECK(dcerpc::to_string(*epm) == "e1af8308-5d1f-11c9-91a4-08002b14a0fa");
  CHECK(dcerpc::epm_interface.id == *epm);
  CHECK(dcerpc::to_string(dcerpc::ndr_syntax) == "8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0");

  const auto upper = dcerpc::parse_uuid("{12345778-1234-ABCD-EF00-0123456789AC}");
  REQUIRE(upper);
  CHECK(dcerpc::to_string(*upper) == "12345778-1234-abcd-ef00-0123456789ac");
  CHECK(dcerpc::uuid{}.is_nil());
  CHECK_FALSE(upper->is_nil());

  for (const char* bad : {"", "e1af8308-5d1f-11c9-91a4-08002b14a0f", "e1af8308-5d1f-11c9-91a4-08002b14a0faa",
                          "e1af83085d1f-11c9-91a4-08002b14a0fa-", "g1af8308-5d1f-11c9-91a4-08002b14a0fa",
                          "{e1af8308-5d1f-11c9-91a4-08002b14a0fa", "e1af8308 5d1f 11c9 91a4 08002b14a0fa"}) {
    INFO(bad);
    CHECK_FALSE(dcerpc::parse_uuid(bad));
  }
}

TEST_CASE("dcerpc: the 72-byte endpoint mapper bind, byte for byte as impacket sends it") {
  const auto bind = dcerpc::build_epm_bind(1);
  CHECK(bind.size() == 72);
  CHECK(to_hex(bind) == to_hex(from_hex("05000b03 10000000 4800 0000 01000000" // header: bind, first|last, 72 bytes
                                        "b810 b810 00000000"                  // max_xmit/max_recv 4280, assoc 0
                                        "01 00 0000"                          // one context
                                        "0000 01 00"                          // id 0, one transfer syntax
                                        "0883afe11f5dc91191a408002b14a0fa 0300 0000"  // EPM v3.0
                                        "045d888aeb1cc9119fe808002b104860 0200 0000")));
  CHECK(bind == pdu_file("impacket_bind_epm.bin"));

  // The responder's side: impacket's bind decodes to the same context.
  const auto b = decode_as<dcerpc::bind_pdu>(pdu_file("impacket_bind_epm.bin"));
  CHECK(b.head.call_id == 1);
  CHECK(b.max_xmit_frag == 4280);
  CHECK(b.max_recv_frag == 4280);
  CHECK(b.assoc_group == 0);
  REQUIRE(b.contexts.size() == 1);
  CHECK(b.contexts[0].id == 0);
  CHECK(b.contexts[0].abstract_syntax == dcerpc::epm_interface);
  REQUIRE(b.contexts[0].transfer_syntaxes.size() == 1);
  CHECK(b.contexts[0].transfer_syntaxes[0] == dcerpc::ndr_syntax);
  CHECK(dcerpc::encode(b) == bind);
}

TEST_CASE("dcerpc: header fields, byte orders and stream framing") {
  dcerpc::header h;
  h.type = dcerpc::ptype::request;
  h.frag_length = 0x0102;
  h.auth_length = 0;
  h.call_id = 0x0A0B0C0D;
  CHECK(to_hex(dcerpc::encode_header(h)) == "0500000310000000020100000d0c0b0a");
  h.drep = {0x00, 0, 0, 0}; // big-endian sender
  const auto be = dcerpc::encode_header(h);
  CHECK(to_hex(be) == "0500000300000000010200000a0b0c0d");
  const auto back = dcerpc::decode_header(be);
  REQUIRE(back);
  CHECK(back.value->frag_length == 0x0102);
  CHECK(back.value->call_id == 0x0A0B0C0D);
  CHECK_FALSE(back.value->little_endian());
  CHECK(dcerpc::framed_size(be) == 0x0102);

  // A big-endian body is reported, not misread.
  bytes be_pdu(be.begin(), be.end());
  be_pdu.resize(0x0102);
  const auto be_decoded = dcerpc::decode_pdu(be_pdu);
  REQUIRE_FALSE(be_decoded);
  CHECK(be_decoded.error.offset == 4);
  CHECK(be_decoded.error.what == "big-endian data representation is not supported (request)");

  const auto ack = pdu_file("samba_bind_ack_epm.bin");
  CHECK_FALSE(dcerpc::framed_size(std::span(ack).first(15)));
  CHECK(dcerpc::framed_size(std::span(ack).first(16)) == 60);
  CHECK(dcerpc::framed_size(ack) == 60);

  struct bad_case {
    std::string hex;
    std::size_t offset;
    std::string what;
  };
  for (const auto& c : std::vector<bad_case>{
           {"05000c031000000010000000010000", 15, "PDU ends before its 16-byte header (15 bytes)"},
           {"04000c03100000001000000001000000", 0, "rpc_vers 4 is not 5 (connection-oriented DCE/RPC)"},
           {"05020c03100000001000000001000000", 1, "rpc_vers_minor 2 is neither 0 nor 1"},
           {"05000c03200000001000000001000000", 4, "data representation byte 0x20 names no byte order"},
           {"05000c03100000000a00000001000000", 8, "frag_length 10 is shorter than the header"},
           {"05000c03100000001800010001000000", 10,
            "auth_length 1 and its 8-byte trailer do not fit frag_length 24"},
       }) {
    INFO(c.hex);
    const auto r = dcerpc::decode_header(from_hex(c.hex));
    REQUIRE_FALSE(r);
    CHECK(r.error.offset == c.offset);
    CHECK(r.error.what == c.what);
  }
  // A lying frag_length still frames at least the header, so a reader moves on.
  CHECK(dcerpc::framed_size(from_hex("05000c03100000000400000001000000")) == 16);
  // rpc_vers_minor 1 (DCE 1.1 peers) is accepted.
  CHECK(dcerpc::decode_header(from_hex("05010c03100000001000000001000000")));
}

TEST_CASE("dcerpc: Samba's bind_ack accepts the endpoint mapper over NDR") {
  const auto raw = pdu_file("samba_bind_ack_epm.bin");
  const auto ack = decode_as<dcerpc::bind_ack_pdu>(raw);
  CHECK(ack.head.type == dcerpc::ptype::bind_ack);
  CHECK(ack.head.call_id == 1);
  CHECK(ack.head.frag_length == 60);
  CHECK(ack.max_xmit_frag == 4280);
  CHECK(ack.max_recv_frag == 4280);
  CHECK(ack.assoc_group != 0); // Samba picks a new association group
  CHECK(ack.secondary_address == "135");
  REQUIRE(ack.results.size() == 1);
  CHECK(ack.results[0].result == dcerpc::bind_result::acceptance);
  CHECK(ack.results[0].reason == 0);
  CHECK(ack.results[0].transfer_syntax == dcerpc::ndr_syntax);
  CHECK(dcerpc::context_result_text(ack.results[0]) == "acceptance");
  CHECK(dcerpc::encode(ack) == raw); // padding after "135\0" included
}

TEST_CASE("dcerpc: Samba's bind rejections and bind_nak") {
  const auto abstract = decode_as<dcerpc::bind_ack_pdu>(pdu_file("samba_bind_ack_reject_abstract.bin"));
  REQUIRE(abstract.results.size() == 1);
  CHECK(abstract.results[0].result == dcerpc::bind_result::provider_rejection);
  CHECK(abstract.results[0].reason == dcerpc::provider_reason::abstract_syntax_not_supported);
  CHECK(abstract.results[0].transfer_syntax == dcerpc::syntax_id{});
  CHECK(dcerpc::context_result_text(abstract.results[0]) == "provider_rejection (abstract_syntax_not_supported)");
  CHECK(dcerpc::encode(abstract) == pdu_file("samba_bind_ack_reject_abstract.bin"));

  const auto transfer = decode_as<dcerpc::bind_ack_pdu>(pdu_file("samba_bind_ack_reject_transfer.bin"));
  REQUIRE(transfer.results.size() == 1);
  CHECK(dcerpc::context_result_text(transfer.results[0]) ==
        "provider_rejection (proposed_transfer_syntaxes_not_supported)");

  // Samba answers a bind with rpc_vers_minor 7 with bind_nak.
  const auto raw = pdu_file("samba_bind_nak_version.bin");
  const auto nak = decode_as<dcerpc::bind_nak_pdu>(raw);
  CHECK(nak.reject_reason == dcerpc::reject_reason::protocol_version_not_supported);
  CHECK(dcerpc::reject_reason_name(nak.reject_reason) == "protocol_version_not_supported");
  CHECK(nak.versions == std::vector<dcerpc::version>{{5, 0}});
  CHECK(dcerpc::encode(nak) == raw);
}

TEST_CASE("dcerpc: Samba's ept_map answers for samr and winreg") {
  const auto raw = pdu_file("samba_ept_map_samr_tcp.bin");
  const auto resp = decode_as<dcerpc::response_pdu>(raw);
  CHECK(resp.head.call_id == 2);
  CHECK(resp.alloc_hint == 128);
  CHECK(resp.context_id == 0);
  CHECK(resp.stub.size() == 128);

  const auto samr = map_answer("samba_ept_map_samr_tcp.bin");
  CHECK(dcerpc::is_null(samr.entry_handle));
  CHECK(samr.max_count == 4); // the request's max_towers
  CHECK(samr.status == 0);
  REQUIRE(samr.towers.size() == 1);
  const auto& t = samr.towers[0];
  CHECK(t.interface == syntax("12345778-1234-abcd-ef00-0123456789ac", 1, 0));
  CHECK(t.transfer_syntax == dcerpc::ndr_syntax);
  CHECK(t.protocol == "ncacn_ip_tcp");
  CHECK(t.port == 49154);
  CHECK(t.address == "127.0.0.1");
  CHECK(t.floors.size() == 5);
  CHECK(dcerpc::binding_text(t) == "ncacn_ip_tcp:127.0.0.1[49154]");
  const auto* name = dcerpc::find_interface(t.interface.id);
  REQUIRE(name);
  CHECK(name->name == "samr");

  // Re-encoding gives Samba's stub back: referent 3, zero padding.
  CHECK(dcerpc::encode_ept_map_response(samr) == resp.stub);
  CHECK(dcerpc::encode(resp) == raw);

  const auto winreg = map_answer("samba_ept_map_winreg_tcp.bin");
  REQUIRE(winreg.towers.size() == 1);
  CHECK(winreg.towers[0].interface == syntax("338cd001-2244-31f1-aaaa-900038001003", 1, 0));
  CHECK(dcerpc::binding_text(winreg.towers[0]) == "ncacn_ip_tcp:127.0.0.1[49153]");
  CHECK(winreg.status == 0);
}

TEST_CASE("dcerpc: Samba's ept_map answer for an unregistered interface") {
  const auto resp = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_map_unknown.bin"));
  CHECK(to_hex(resp.stub) == hex("0000000000000000000000000000000000000000" // NULL handle
                                 "00000000"                                 // num_towers 0
                                 "04000000 00000000 00000000"               // max_count 4, offset 0, actual 0
                                 "d6a0c916"));                              // EPT_S_NOT_REGISTERED
  const auto r = map_answer("samba_ept_map_unknown.bin");
  CHECK(r.towers.empty());
  CHECK(r.status == dcerpc::status::ept_not_registered);
  CHECK(dcerpc::status_name(r.status) == "ept_not_registered");
  CHECK(dcerpc::encode_ept_map_response(r) == resp.stub);
}

TEST_CASE("dcerpc: Samba's ept_map answers with named pipe and ncalrpc towers") {
  const auto np = map_answer("samba_ept_map_samr_np.bin");
  REQUIRE(np.towers.size() == 1);
  CHECK(np.towers[0].protocol == "ncacn_np");
  CHECK(np.towers[0].endpoint == "\\pipe\\samr");
  CHECK(np.towers[0].address == ""); // Samba's NetBIOS floor is a lone NUL
  CHECK_FALSE(np.towers[0].port);
  CHECK(dcerpc::binding_text(np.towers[0]) == "ncacn_np:[\\pipe\\samr]");

  const auto lrpc = map_answer("samba_ept_map_samr_ncalrpc.bin");
  REQUIRE(lrpc.towers.size() == 1);
  CHECK(lrpc.towers[0].protocol == "ncalrpc");
  CHECK(lrpc.towers[0].floors.size() == 4);
  CHECK(lrpc.towers[0].floors[2].lhs == bytes{0x0C});
  CHECK(lrpc.towers[0].endpoint == "rpcd_lsad");
  CHECK(dcerpc::binding_text(lrpc.towers[0]) == "ncalrpc:[rpcd_lsad]");
}

TEST_CASE("dcerpc: Samba's ept_lookup answer in two fragments") {
  const auto f1 = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_all_frag1.bin"));
  const auto f2 = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_all_frag2.bin"));
  CHECK(f1.head.flags == dcerpc::pfc::first_frag);
  CHECK(f2.head.flags == dcerpc::pfc::last_frag);
  CHECK(f1.head.frag_length == 4280); // the max_recv_frag we offered
  CHECK(f1.stub.size() == 4256);      // a multiple of 8
  CHECK(f1.alloc_hint == 4828);
  CHECK(f2.alloc_hint == 572); // what remains

  // The same two PDUs read as one TCP stream, cut by framed_size.
  const auto stream = pdu_file("samba_ept_lookup_all_stream.bin");
  std::vector<dcerpc::response_pdu> fragments;
  for (std::size_t at = 0; at < stream.size();) {
    const auto n = dcerpc::framed_size(std::span(stream).subspan(at));
    REQUIRE(n);
    REQUIRE(at + *n <= stream.size());
    fragments.push_back(decode_as<dcerpc::response_pdu>(bytes(stream.begin() + at, stream.begin() + at + *n)));
    at += *n;
  }
  REQUIRE(fragments.size() == 2);
  const auto stub = dcerpc::reassemble(fragments);
  REQUIRE(stub);
  CHECK(stub.value->size() == 4828);

  const auto all = lookup_answer(*stub.value);
  CHECK(all.entries.size() == 38);
  CHECK(all.max_count == 500);
  CHECK(dcerpc::is_null(all.entry_handle));
  // Samba sends every entry AND the end-of-list status in the same answer.
  CHECK(all.status == dcerpc::status::ept_not_registered);

  std::map<std::string, int> protocols;
  for (const auto& e : all.entries) {
    REQUIRE(e.endpoint);
    CHECK(e.object.is_nil());
    ++protocols[e.endpoint->protocol];
  }
  CHECK(protocols ==
        std::map<std::string, int>{{"ncacn_ip_tcp", 8}, {"ncacn_np", 18}, {"ncalrpc", 11}, {"ncacn_http", 1}});

  CHECK(all.entries[0].annotation == "eventlog");
  CHECK(binding_of(all.entries[0]) == "ncacn_np:[\\pipe\\eventlog]");
  std::vector<std::string> epm;
  for (const auto& e : all.entries)
    if (e.annotation == "epmapper") epm.push_back(binding_of(e));
  CHECK(epm == std::vector<std::string>{"ncacn_np:[\\pipe\\epmapper]", "ncacn_ip_tcp:127.0.0.1[135]",
                                        "ncacn_http:0.0.0.0[593]", "ncalrpc:[EPMAPPER]"});
  std::vector<std::string> samr;
  for (const auto& e : all.entries)
    if (e.annotation == "samr") samr.push_back(binding_of(e));
  CHECK(samr ==
        std::vector<std::string>{"ncacn_ip_tcp:127.0.0.1[49154]", "ncalrpc:[rpcd_lsad]", "ncacn_np:[\\pipe\\samr]"});

  // Every interface Samba registers but two (FileServerVssAgent, mdssvc) has a name.
  std::vector<std::string> unnamed;
  for (const auto& e : all.entries)
    if (!dcerpc::find_interface(e.endpoint->interface.id)) unnamed.push_back(e.annotation);
  std::sort(unnamed.begin(), unnamed.end());
  unnamed.erase(std::unique(unnamed.begin(), unnamed.end()), unnamed.end());
  CHECK(unnamed == std::vector<std::string>{"FileServerVssAgent", "mdssvc"});

  CHECK(dcerpc::encode_ept_lookup_response(all) == *stub.value);
}

TEST_CASE("dcerpc: Samba's ept_lookup answer in three fragments, and our own cut of it") {
  // The bind offered max_recv_frag 1024; Samba raised it to 2048.
  const auto ack = decode_as<dcerpc::bind_ack_pdu>(pdu_file("samba_bind_ack_max2048.bin"));
  CHECK(ack.max_xmit_frag == 2048);
  CHECK(ack.max_recv_frag == 2048);

  std::vector<bytes> raw;
  std::vector<dcerpc::response_pdu> fragments;
  for (int i = 1; i <= 3; ++i) {
    raw.push_back(pdu_file("samba_ept_lookup_2048_frag" + std::to_string(i) + ".bin"));
    fragments.push_back(decode_as<dcerpc::response_pdu>(raw.back()));
  }
  CHECK(fragments[0].head.flags == dcerpc::pfc::first_frag);
  CHECK(fragments[1].head.flags == 0);
  CHECK(fragments[2].head.flags == dcerpc::pfc::last_frag);
  CHECK(raw[0].size() == 2040); // 2016 stub bytes: the largest multiple of 8 that fits 2048
  const auto stub = dcerpc::reassemble(fragments);
  REQUIRE(stub);
  CHECK(lookup_answer(*stub.value).entries.size() == 38);

  // The same stub as the 4280-byte cut.
  const std::vector<dcerpc::response_pdu> big{
      decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_all_frag1.bin")),
      decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_all_frag2.bin"))};
  CHECK(*dcerpc::reassemble(big).value == *stub.value);

  // encode_fragments cuts it exactly as Samba did, alloc_hint included.
  dcerpc::response_pdu whole;
  whole.head.call_id = 2;
  whole.stub = *stub.value;
  CHECK(dcerpc::encode_fragments(whole, 2048) == raw);
  whole.head.call_id = 7;
  const auto again = dcerpc::encode_fragments(whole, 4280);
  REQUIRE(again.size() == 2);
  CHECK(again[0] == pdu_file("samba_ept_lookup_all_frag1.bin"));
  CHECK(again[1] == pdu_file("samba_ept_lookup_all_frag2.bin"));
}

TEST_CASE("dcerpc: paged ept_lookup follows the entry handle to the same 38 entries") {
  const auto stream = pdu_file("samba_ept_lookup_all_stream.bin");
  const auto f1 = decode_as<dcerpc::response_pdu>(bytes(stream.begin(), stream.begin() + 4280));
  const auto f2 = decode_as<dcerpc::response_pdu>(bytes(stream.begin() + 4280, stream.end()));
  const std::vector<dcerpc::response_pdu> both{f1, f2};
  const auto one_shot = lookup_answer(*dcerpc::reassemble(both).value);

  std::vector<std::string> paged;
  dcerpc::context_handle handle{};
  for (int page = 1; page <= 8; ++page) {
    INFO("page " << page);
    const auto resp =
        decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_page" + std::to_string(page) + ".bin"));
    const auto r = lookup_answer(resp.stub);
    CHECK(r.max_count == 5);
    if (page < 8) {
      CHECK(r.status == 0);
      CHECK(r.entries.size() == 5);
      CHECK_FALSE(dcerpc::is_null(r.entry_handle));
      if (page > 1) CHECK(r.entry_handle == handle); // Samba keeps one handle for the walk
      handle = r.entry_handle;
    } else {
      CHECK(r.status == dcerpc::status::ept_not_registered);
      CHECK(r.entries.size() == 3); // the last page still carries entries
      CHECK(dcerpc::is_null(r.entry_handle));
    }
    for (const auto& e : r.entries) paged.push_back(e.annotation + " " + binding_of(e));
    CHECK(dcerpc::encode_ept_lookup_response(r) == resp.stub);
  }
  std::vector<std::string> whole;
  for (const auto& e : one_shot.entries) whole.push_back(e.annotation + " " + binding_of(e));
  CHECK(paged == whole);
}

TEST_CASE("dcerpc: Samba's faults and their names") {
  const auto rng = decode_as<dcerpc::fault_pdu>(pdu_file("samba_fault_op_rng_error.bin"));
  CHECK(rng.status == dcerpc::status::op_rng_error);
  CHECK(rng.head.flags == (dcerpc::pfc::first_frag | dcerpc::pfc::last_frag | dcerpc::pfc::did_not_execute));
  CHECK(rng.alloc_hint == 24);
  CHECK(rng.stub.empty());
  CHECK(dcerpc::encode(rng) == pdu_file("samba_fault_op_rng_error.bin"));

  const auto stub = decode_as<dcerpc::fault_pdu>(pdu_file("samba_fault_bad_stub.bin"));
  CHECK(stub.status == dcerpc::status::bad_stub_data);
  const auto ctx = decode_as<dcerpc::fault_pdu>(pdu_file("samba_fault_unknown_context.bin"));
  CHECK(ctx.status == dcerpc::status::unk_if); // Samba's answer to context id 7

  CHECK(dcerpc::status_name(0x1C010002) == "op_rng_error");
  CHECK(dcerpc::status_name(0x1C010003) == "unk_if");
  CHECK(dcerpc::status_name(0x000006F7) == "bad_stub_data");
  CHECK(dcerpc::status_name(5) == "access_denied");
  CHECK(dcerpc::status_name(0) == "success");
  CHECK(dcerpc::status_name(0x16C9A0D6) == "ept_not_registered");
  CHECK(dcerpc::status_name(0x1C0100FF) == "0x1c0100ff");
  CHECK(dcerpc::ptype_name(dcerpc::ptype::fault) == "fault");
  CHECK(dcerpc::ptype_name(42) == "ptype 42");

  // A fault cut right after its status still names it.
  const auto short_fault =
      dcerpc::decode_pdu(from_hex("0500030310000000 1c00 0000 01000000 00000000 0000 00 00 05000000"));
  REQUIRE(short_fault);
  CHECK(std::get<dcerpc::fault_pdu>(*short_fault.value).status == dcerpc::status::access_denied);
}

TEST_CASE("dcerpc: ept_map request stub, as [MS-RPCE] describes it") {
  const auto samr = syntax("12345778-1234-abcd-ef00-0123456789ac", 1, 0);
  const auto stub = dcerpc::ept_map_query(samr, 1);
  CHECK(stub.size() == 132);
  CHECK(to_hex(stub) == hex(std::string("01000000 00000000000000000000000000000000") + // object: referent 1, nil UUID
                            "02000000 4b000000 4b000000" + // tower: referent 2, max_count, length
                            std::string(samr_query_tower_hex) +
                            "00"                                       // pad to 4
                            "0000000000000000000000000000000000000000" // NULL context handle
                            "01000000"));                              // max_towers

  // impacket sends the same request, but for the pad byte it leaves as 0xAB.
  auto impacket = pdu_file("impacket_ept_map_samr_request.bin");
  REQUIRE(impacket.size() == 156);
  CHECK(impacket[24 + 107] == 0xAB);
  impacket[24 + 107] = 0;
  dcerpc::request_pdu req;
  req.head.call_id = 1;
  req.opnum = dcerpc::opnum::ept_map;
  req.stub = stub;
  CHECK(dcerpc::encode(req) == impacket);

  // The responder's side: decode the request and the tower in it.
  const auto got = decode_as<dcerpc::request_pdu>(pdu_file("impacket_ept_map_winreg_request.bin"));
  CHECK(got.opnum == 3);
  CHECK_FALSE(got.object);
  const auto map = dcerpc::decode_ept_map_request(got.stub);
  REQUIRE(map);
  REQUIRE(map.value->object);
  CHECK(map.value->object->is_nil());
  CHECK(map.value->max_towers == 1);
  CHECK(dcerpc::is_null(map.value->entry_handle));
  REQUIRE(map.value->map_tower);
  const auto t = tower_ok(*map.value->map_tower);
  CHECK(t.interface == syntax("338cd001-2244-31f1-aaaa-900038001003", 1, 0));
  CHECK(t.protocol == "ncacn_ip_tcp");
  CHECK(t.port == 0);
  CHECK(t.address == "0.0.0.0");

  // NULL pointers both ways.
  const auto nulls = dcerpc::encode_ept_map_request({});
  CHECK(to_hex(nulls) == "00000000" "00000000" "0000000000000000000000000000000000000000" "01000000");
  const auto back = dcerpc::decode_ept_map_request(nulls);
  REQUIRE(back);
  CHECK_FALSE(back.value->object);
  CHECK_FALSE(back.value->map_tower);
}

TEST_CASE("dcerpc: ept_lookup request stub") {
  dcerpc::ept_lookup_request all;
  CHECK(to_hex(dcerpc::encode_ept_lookup_request(all)) ==
        "00000000"                                 // inquiry_type: all elements
        "00000000"                                 // object: NULL
        "00000000"                                 // interface: NULL
        "01000000"                                 // vers_option: all
        "0000000000000000000000000000000000000000" // entry handle: start
        "f4010000");                               // max_ents 500

  dcerpc::ept_lookup_request by_if;
  by_if.inquiry_type = dcerpc::inquiry::match_by_if;
  by_if.object = dcerpc::uuid{};
  by_if.interface = dcerpc::epm_interface;
  by_if.vers_option = dcerpc::vers_option::exact;
  by_if.entry_handle[4] = 0xB6;
  by_if.max_ents = 5;
  const auto stub = dcerpc::encode_ept_lookup_request(by_if);
  CHECK(to_hex(stub) == hex("01000000"
                            "01000000 00000000000000000000000000000000"
                            "02000000 0883afe11f5dc91191a408002b14a0fa 0300 0000"
                            "03000000"
                            "00000000b6000000000000000000000000000000"
                            "05000000"));
  const auto back = dcerpc::decode_ept_lookup_request(stub);
  REQUIRE(back);
  CHECK(back.value->inquiry_type == 1);
  CHECK(back.value->object == dcerpc::uuid{});
  CHECK(back.value->interface == dcerpc::epm_interface);
  CHECK(back.value->vers_option == 3);
  CHECK(back.value->entry_handle == by_if.entry_handle);
  CHECK(back.value->max_ents == 5);
}

TEST_CASE("dcerpc: a 75-byte TCP tower round trip") {
  const auto samr = syntax("12345778-1234-abcd-ef00-0123456789ac", 1, 0);
  const auto query = dcerpc::tcp_query_tower(samr);
  const auto octets = dcerpc::encode_floors(query.floors);
  CHECK(octets.size() == 75);
  CHECK(to_hex(octets) == to_hex(from_hex(samr_query_tower_hex)));
  CHECK(dcerpc::encode_tower(query) == octets);

  // Samba's answer tower, rebuilt from its meaning, is Samba's bytes.
  const auto samba = tower_file("samba_samr_tcp.bin");
  const auto t = tower_ok(samba);
  CHECK(t.interface == samr);
  CHECK(t.port == 49154);
  CHECK(t.address == "127.0.0.1");
  CHECK(dcerpc::encode_floors(t.floors) == samba);
  dcerpc::tower rebuilt;
  rebuilt.interface = samr;
  rebuilt.transfer_syntax = dcerpc::ndr_syntax;
  rebuilt.protocol = "ncacn_ip_tcp";
  rebuilt.port = 49154;
  rebuilt.address = "127.0.0.1";
  CHECK(dcerpc::encode_tower(rebuilt) == samba);
  CHECK(to_hex(std::span(samba).subspan(59)) == "0100" "07" "0200" "c002"        // port 49154, big-endian
                                                "0100" "09" "0400" "7f000001"); // 127.0.0.1

  // Every tower shape Samba registers rebuilds to its own bytes.
  for (const char* name : {"samba_samr_np.bin", "samba_samr_ncalrpc.bin", "samba_epm_http.bin",
                           "samba_epm_ncalrpc.bin", "samba_epm_np.bin", "samba_epm_tcp.bin",
                           "samba_lsarpc_lsass_np.bin", "samba_winreg_tcp.bin"}) {
    INFO(name);
    const auto raw = tower_file(name);
    const auto d = tower_ok(raw);
    CHECK_FALSE(d.protocol.empty());
    CHECK(dcerpc::encode_floors(d.floors) == raw);
    CHECK(dcerpc::encode_tower(d) == raw);
  }

  // Other protocols, and what cannot be built.
  rebuilt.protocol = "ncadg_ip_udp";
  const auto udp = tower_ok(*dcerpc::encode_tower(rebuilt));
  CHECK(udp.protocol == "ncadg_ip_udp");
  CHECK(dcerpc::binding_text(udp) == "ncadg_ip_udp:127.0.0.1[49154]");
  rebuilt.address = "localhost";
  CHECK_FALSE(dcerpc::encode_tower(rebuilt));
  rebuilt.address = "127.0.0.1";
  rebuilt.protocol = "ncacn_vns_spp";
  CHECK_FALSE(dcerpc::encode_tower(rebuilt));
  rebuilt.protocol = "ncacn_np";
  rebuilt.endpoint = std::string("\\pipe\\a\0b", 9);
  CHECK_FALSE(dcerpc::encode_tower(rebuilt));
}

TEST_CASE("dcerpc: towers with more than 6 floors, or malformed floors, are rejected") {
  const auto samba = tower_file("samba_samr_tcp.bin");
  auto with_floors = [&](std::uint16_t count, const bytes& extra) {
    bytes b = samba;
    b[0] = static_cast<std::uint8_t>(count);
    b.insert(b.end(), extra.begin(), extra.end());
    return b;
  };
  const bytes unknown_floor = from_hex("0100 20 0100 00"); // unix socket id, one byte
  const auto six = tower_ok(with_floors(6, unknown_floor));
  CHECK(six.protocol.empty()); // not one of the named shapes any more
  CHECK(six.port == 49154);    // but what floors 4 and 5 say is still read
  CHECK(six.floors.size() == 6);
  CHECK(six.floors[5].lhs == bytes{0x20});
  CHECK(dcerpc::binding_text(six) == "floors 0b 07 09 20");

  const auto seven = dcerpc::decode_tower(with_floors(7, from_hex("0100 20 0100 00 0100 20 0100 00")));
  REQUIRE_FALSE(seven);
  CHECK(seven.error.offset == 0);
  CHECK(seven.error.what == "tower has 7 floors, more than 6");
  const auto many = dcerpc::decode_tower(from_hex("ffff"));
  REQUIRE_FALSE(many);
  CHECK(many.error.what == "tower has 65535 floors, more than 6");

  struct bad_case {
    std::string name;
    bytes tower;
    std::size_t offset;
    std::string what;
  };
  auto patched = [&](std::size_t at, std::initializer_list<std::uint8_t> b) {
    bytes t = samba;
    std::copy(b.begin(), b.end(), t.begin() + static_cast<std::ptrdiff_t>(at));
    return t;
  };
  const std::vector<bad_case> cases{
      {"two floors", from_hex("0200 1300 0d785734123412cdabef000123456789ac0100 0200 0000"), 0,
       "tower has 2 floors; an RPC tower has at least 3"},
      {"floor 1 not a UUID", patched(4, {0x0E}), 2, "floor 1 is not a UUID floor (0D + UUID + version)"},
      {"floor 2 rhs of 3 bytes", [&] {
         bytes t = samba;
         t[48] = 3;
         t.insert(t.begin() + 52, 0x00);
         return t;
       }(), 27, "floor 2 is not a UUID floor (0D + UUID + version)"},
      {"empty lhs", patched(52, {0x00, 0x00}), 52, "floor 3 has an empty left-hand side (no protocol id)"},
      {"3-byte port", [&] {
         bytes t = samba;
         t[62] = 3;
         t.insert(t.begin() + 64, 0x00);
         return t;
       }(), 59, "floor 4 port is 3 bytes, not 2"},
      {"5-byte IPv4", [&] {
         bytes t = samba;
         t[69] = 5;
         t.push_back(0);
         return t;
       }(), 66, "floor 5 IPv4 address is 5 bytes, not 4"},
      {"rhs past the end", patched(69, {0x05}), 71, "ends before the end of floor 5's right-hand side"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto r = dcerpc::decode_tower(c.tower);
    REQUIRE_FALSE(r);
    CHECK(r.error.offset == c.offset);
    CHECK(r.error.what == c.what);
  }

  // Bytes after the last floor are not part of the tower.
  bytes trailing = samba;
  trailing.push_back(0xEE);
  CHECK(dcerpc::encode_floors(tower_ok(trailing).floors) == samba);
}

TEST_CASE("dcerpc: every truncation is an error, never a read past the end") {
  // Whole PDUs: cut short, the frag_length no longer matches.
  for (const char* name : {"samba_bind_ack_epm.bin", "samba_ept_map_samr_tcp.bin", "samba_fault_op_rng_error.bin",
                           "samba_bind_nak_version.bin", "impacket_bind_epm.bin"}) {
    const auto raw = pdu_file(name);
    for (std::size_t n = 0; n < raw.size(); ++n) {
      INFO(name << " cut to " << n);
      const auto r = dcerpc::decode_pdu(std::span(raw).first(n));
      REQUIRE_FALSE(r);
      CHECK(r.error.offset <= n);
    }
  }
  // bind_ack and bind bodies cut short with a frag_length that agrees.
  for (const char* name : {"samba_bind_ack_epm.bin", "impacket_bind_epm.bin"}) {
    const auto raw = pdu_file(name);
    for (std::size_t n = dcerpc::header_size; n < raw.size(); ++n) {
      INFO(name << " cut to " << n);
      bytes cut(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(n));
      cut[8] = static_cast<std::uint8_t>(n);
      const auto r = dcerpc::decode_pdu(cut);
      REQUIRE_FALSE(r);
      CHECK(r.error.offset <= n);
      CHECK(r.error.what.rfind("ends before ", 0) == 0);
    }
  }
  // Stubs and towers.
  const auto map_stub = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_map_samr_tcp.bin")).stub;
  for (std::size_t n = 0; n < map_stub.size(); ++n) {
    INFO("ept_map stub cut to " << n);
    const auto r = dcerpc::decode_ept_map_response(std::span(map_stub).first(n));
    REQUIRE_FALSE(r);
    CHECK(r.error.offset <= n);
  }
  const auto page = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_page8.bin")).stub;
  for (std::size_t n = 0; n < page.size(); ++n) {
    INFO("ept_lookup stub cut to " << n);
    const auto r = dcerpc::decode_ept_lookup_response(std::span(page).first(n));
    REQUIRE_FALSE(r);
    CHECK(r.error.offset <= n);
  }
  const auto request = dcerpc::ept_map_query(dcerpc::epm_interface, 4);
  for (std::size_t n = 0; n < request.size(); ++n) {
    INFO("ept_map request cut to " << n);
    CHECK_FALSE(dcerpc::decode_ept_map_request(std::span(request).first(n)));
  }
  const auto lookup = dcerpc::encode_ept_lookup_request({});
  for (std::size_t n = 0; n < lookup.size(); ++n) {
    INFO("ept_lookup request cut to " << n);
    CHECK_FALSE(dcerpc::decode_ept_lookup_request(std::span(lookup).first(n)));
  }
  const auto tower = tower_file("samba_samr_np.bin");
  for (std::size_t n = 0; n < tower.size(); ++n) {
    INFO("tower cut to " << n);
    const auto r = dcerpc::decode_tower(std::span(tower).first(n));
    REQUIRE_FALSE(r);
    CHECK(r.error.offset <= n);
  }
}

TEST_CASE("dcerpc: counts that lie are rejected where they lie") {
  const auto stub = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_map_samr_tcp.bin")).stub;
  // Stub layout: handle 0..19, num_towers 20, max_count 24, offset 28,
  // actual_count 32, referent 36, tower max_count 40, length 44, octets 48.
  auto with = [](bytes b, std::initializer_list<std::pair<std::size_t, std::uint32_t>> fields) {
    for (const auto& [at, v] : fields)
      for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
    return b;
  };
  bytes bad_floor_count = stub;
  bad_floor_count[48] = 9;
  struct bad_case {
    std::string name;
    bytes stub;
    std::size_t offset;
    std::string what;
  };
  for (const auto& c : std::vector<bad_case>{
           {"num_towers", with(stub, {{20, 2}}), 32, "tower array holds 1 but the count says 2"},
           {"offset", with(stub, {{28, 1}}), 28, "tower array offset 1 is not 0"},
           {"over max_count", with(stub, {{24, 0}}), 32, "tower array holds 1, more than its max_count 0"},
           {"over the limit", with(stub, {{20, 501}, {24, 501}, {32, 501}}), 32,
            "tower array holds 501, more than 500 accepted"},
           {"pointers past the end", with(stub, {{20, 400}, {24, 400}, {32, 400}}), 36,
            "ends before 400 tower pointers"},
           {"tower max_count", with(stub, {{40, 76}}), 40, "tower 1: max_count 76 differs from tower_length 75"},
           {"tower past the end", with(stub, {{40, 200}, {44, 200}}), 48,
            "ends before the end of tower 1 (200 bytes)"},
           {"bad tower inside", bad_floor_count, 48, "tower 1: tower has 9 floors, more than 6"},
       }) {
    INFO(c.name);
    const auto r = dcerpc::decode_ept_map_response(c.stub);
    REQUIRE_FALSE(r);
    CHECK(r.error.offset == c.offset);
    CHECK(r.error.what == c.what);
  }

  // ept_lookup: an annotation longer than ept_max_annotation_size.
  auto page = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_lookup_page8.bin")).stub;
  // Entry 1 starts at 36: object UUID, tower referent at 52, annotation offset 56, count 60.
  CHECK(page[60] == 7); // "netdfs\0"
  page[60] = 65;
  const auto r = dcerpc::decode_ept_lookup_response(page);
  REQUIRE_FALSE(r);
  CHECK(r.error.offset == 60);
  CHECK(r.error.what == "entry 1: annotation of 65 characters, more than 64");
}

TEST_CASE("dcerpc: fragment reassembly") {
  const auto stub = decode_as<dcerpc::response_pdu>(pdu_file("samba_ept_map_samr_tcp.bin")).stub;
  dcerpc::response_pdu whole;
  whole.head.call_id = 9;
  whole.context_id = 1;
  whole.stub = stub;

  const auto raw = dcerpc::encode_fragments(whole, 60); // 32 bytes of stub per fragment (a multiple of 16)
  REQUIRE(raw.size() == 4);                             // 128 = 4 * 32
  std::vector<dcerpc::response_pdu> fragments;
  for (const auto& f : raw) {
    CHECK(f.size() <= 60);
    fragments.push_back(decode_as<dcerpc::response_pdu>(f));
  }
  CHECK(fragments.front().head.flags == dcerpc::pfc::first_frag);
  CHECK(fragments[1].head.flags == 0);
  CHECK(fragments.back().head.flags == dcerpc::pfc::last_frag);
  CHECK(fragments.back().stub.size() == 32);
  std::vector<std::uint32_t> hints;
  for (const auto& f : fragments) hints.push_back(f.alloc_hint);
  CHECK(hints == std::vector<std::uint32_t>{128, 96, 64, 32}); // what remains, as Samba counts
  const auto joined = dcerpc::reassemble(fragments);
  REQUIRE(joined);
  CHECK(*joined.value == stub);

  // One fragment when it fits.
  const auto single = dcerpc::encode_fragments(whole, 4280);
  REQUIRE(single.size() == 1);
  CHECK(decode_as<dcerpc::response_pdu>(single[0]).head.flags == (dcerpc::pfc::first_frag | dcerpc::pfc::last_frag));
  // An empty stub is still one PDU.
  CHECK(dcerpc::encode_fragments(dcerpc::response_pdu{}, 4280).size() == 1);

  struct bad_case {
    std::string name;
    std::vector<dcerpc::response_pdu> fragments;
    std::size_t offset;
    std::string what;
  };
  auto changed = [&](std::size_t i, auto&& change) {
    auto f = fragments;
    change(f[i]);
    return f;
  };
  const std::vector<bad_case> cases{
      {"no fragments", {}, 0, "no fragments"},
      {"first flag missing", changed(0, [](auto& f) { f.head.flags = 0; }), 0,
       "fragment 1 of 4: the first fragment lacks PFC_FIRST_FRAG"},
      {"first flag again", changed(2, [](auto& f) { f.head.flags = dcerpc::pfc::first_frag; }), 64,
       "fragment 3 of 4: PFC_FIRST_FRAG in the middle of a call"},
      {"last flag early", changed(2, [](auto& f) { f.head.flags = dcerpc::pfc::last_frag; }), 64,
       "fragment 3 of 4: PFC_LAST_FRAG before the last fragment"},
      {"last flag missing", changed(3, [](auto& f) { f.head.flags = 0; }), 96,
       "fragment 4 of 4: the last fragment lacks PFC_LAST_FRAG"},
      {"other call", changed(1, [](auto& f) { f.head.call_id = 10; }), 32,
       "fragment 2 of 4: call_id 10 differs from 9"},
      {"other context", changed(1, [](auto& f) { f.context_id = 0; }), 32,
       "fragment 2 of 4: context id 0 differs from 1"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto r = dcerpc::reassemble(c.fragments);
    REQUIRE_FALSE(r);
    CHECK(r.error.offset == c.offset);
    CHECK(r.error.what == c.what);
  }
  const auto big = dcerpc::reassemble(fragments, 100);
  REQUIRE_FALSE(big);
  CHECK(big.error.offset == 96);
  CHECK(big.error.what == "fragment 4 of 4: the stub grows past 100 bytes");

  // Requests too, opnum included; an object UUID shortens each fragment's stub.
  dcerpc::request_pdu req;
  req.head.call_id = 4;
  req.opnum = 3;
  req.object = dcerpc::epm_interface.id;
  req.stub = dcerpc::ept_map_query(dcerpc::epm_interface, 4);
  std::vector<dcerpc::request_pdu> parts;
  for (const auto& f : dcerpc::encode_fragments(req, 64)) {
    CHECK(f.size() <= 64);
    parts.push_back(decode_as<dcerpc::request_pdu>(f));
    CHECK(parts.back().object == req.object);
    CHECK(parts.back().stub.size() <= 16); // 64 - 40 bytes of header and object, cut to a multiple of 16
  }
  CHECK(parts.size() == 9);
  CHECK(*dcerpc::reassemble(parts).value == req.stub);
  parts[4].opnum = 2;
  CHECK(dcerpc::reassemble(parts).error.what == "fragment 5 of 9: opnum 2 differs from 3");
}

TEST_CASE("dcerpc: an auth verifier and its padding are not part of the stub") {
  // A response with 5 stub bytes, 3 bytes of auth padding, an 8-byte
  // sec_trailer (pad length 3) and a 4-byte auth value.
  const auto raw = from_hex("0500020310000000 2c00 0400 05000000"
                            "05000000 0000 00 00"
                            "0102030405 000000"
                            "0a 02 03 00 00000000"
                            "aabbccdd");
  const auto r = decode_as<dcerpc::response_pdu>(raw);
  CHECK(r.head.auth_length == 4);
  CHECK(r.stub == bytes{1, 2, 3, 4, 5});

  auto lying = raw;
  lying[34] = 40; // padding longer than the body
  const auto bad = dcerpc::decode_pdu(lying);
  REQUIRE_FALSE(bad);
  CHECK(bad.error.offset == 34);
  CHECK(bad.error.what == "auth padding of 40 bytes runs into the PDU body");
}

TEST_CASE("dcerpc: request PDUs with an object UUID, and PDUs kept raw") {
  dcerpc::request_pdu req;
  req.head.call_id = 3;
  req.context_id = 1;
  req.opnum = 2;
  req.object = dcerpc::ndr_syntax.id;
  req.stub = {0xAA, 0xBB};
  const auto raw = dcerpc::encode(req);
  REQUIRE(raw);
  CHECK(to_hex(*raw) == hex("0500008310000000 2a00 0000 03000000"
                            "02000000 0100 0200"
                            "045d888aeb1cc9119fe808002b104860"
                            "aabb"));
  const auto back = decode_as<dcerpc::request_pdu>(*raw);
  CHECK(back.object == req.object);
  CHECK(back.stub == req.stub);
  CHECK(back.alloc_hint == 2);

  const auto shutdown = from_hex("0500110310000000 1400 0000 07000000 01020304");
  const auto other = decode_as<dcerpc::other_pdu>(shutdown);
  CHECK(other.head.type == dcerpc::ptype::shutdown);
  CHECK(other.body == bytes{1, 2, 3, 4});
  CHECK(dcerpc::encode(other) == shutdown);

  dcerpc::response_pdu huge;
  huge.stub.resize(0xFFFF);
  CHECK_FALSE(dcerpc::encode(huge)); // one fragment cannot hold it
}

TEST_CASE("dcerpc: well-known interfaces by name and by UUID") {
  const auto* samr = dcerpc::find_interface("SAMR");
  REQUIRE(samr);
  CHECK(samr->id == syntax("12345778-1234-abcd-ef00-0123456789ac", 1, 0));
  const auto* mapi = dcerpc::find_interface("mapi");
  REQUIRE(mapi);
  CHECK(mapi->name == "emsmdb");
  CHECK(mapi == dcerpc::find_interface("EMSMDB"));
  CHECK(mapi->id == syntax("a4f1db00-ca47-1067-b31f-00dd010662da", 0, 81));
  CHECK(dcerpc::find_interface("nspi")->id == syntax("f5cc5a18-4264-101a-8c59-08002b2f8426", 56, 0));
  CHECK(dcerpc::find_interface("rfr")->id == syntax("1544f5e0-613c-11d1-93df-00c04fd7bd09", 1, 0));
  CHECK(dcerpc::find_interface("lsarpc")->id == syntax("12345778-1234-abcd-ef00-0123456789ab", 0, 0));
  CHECK(dcerpc::find_interface("spoolss")->id == syntax("12345678-1234-abcd-ef00-0123456789ab", 1, 0));
  CHECK(dcerpc::find_interface("netlogon")->id == syntax("12345678-1234-abcd-ef00-01234567cffb", 1, 0));
  CHECK(dcerpc::find_interface("drsuapi")->id == syntax("e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, 0));
  CHECK(dcerpc::find_interface("srvsvc")->id == syntax("4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, 0));
  CHECK(dcerpc::find_interface("winreg")->id == syntax("338cd001-2244-31f1-aaaa-900038001003", 1, 0));
  CHECK(dcerpc::find_interface("epm")->id == dcerpc::epm_interface);
  CHECK_FALSE(dcerpc::find_interface("nosuch"));
  CHECK_FALSE(dcerpc::find_interface(""));

  CHECK(dcerpc::find_interface(dcerpc::epm_interface.id)->name == "epm");
  CHECK_FALSE(dcerpc::find_interface(dcerpc::ndr_syntax.id));

  std::vector<std::string> names;
  for (const auto& k : dcerpc::known_interfaces()) {
    names.emplace_back(k.name);
    if (!k.alias.empty()) names.emplace_back(k.alias);
    CHECK(dcerpc::find_interface(k.id.id) == &k); // one entry per UUID
  }
  const auto count = names.size();
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  CHECK(names.size() == count);
}

TEST_CASE("dcerpc: strings from the peer made printable") {
  CHECK(dcerpc::printable("\\pipe\\samr") == "\\pipe\\samr");
  CHECK(dcerpc::printable(std::string("a\0b\x7f\xff", 5)) == "a\\x00b\\x7f\\xff");
}

} // TEST_SUITE
