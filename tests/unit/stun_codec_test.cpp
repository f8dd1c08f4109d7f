// STUN/TURN codec on real bytes: the RFC 5769 test vectors, the MS-TURN
// Allocate request a Lync/Skype for Business client sends to an Edge server,
// and coturn 4.6.1's answers, captured from a turnserver on 127.0.0.1
// (realm edgeprobe.test, lt-cred-mech, user alice:secret, fingerprint) by a
// Python script whose requests computed MESSAGE-INTEGRITY and FINGERPRINT
// with hashlib/hmac/zlib — a witness independent of this codec. The captures
// live in tests/fuzz/corpus/stun_codec, where they also seed the fuzz target.
#include "probes/stun/codec.hpp"

#include "support/corpus_file.hpp"
#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

using namespace edgeprobe;
using test::from_hex;
using bytes = std::vector<std::uint8_t>;

namespace {

bytes text_bytes(std::string_view text) { return bytes(text.begin(), text.end()); }

bytes corpus(const std::string& name) {
  const std::string raw = test::corpus_bytes("stun_codec", name);
  INFO(name);
  REQUIRE(!raw.empty());
  return bytes(raw.begin(), raw.end());
}

stun::message decode_ok(const bytes& b, stun::dialect d = stun::dialect::rfc) {
  auto r = stun::decode(b, d);
  INFO(r.error.what);
  REQUIRE(r.value);
  return *r.value;
}

std::vector<std::uint16_t> types_of(const stun::message& m) {
  std::vector<std::uint16_t> out;
  for (const auto& a : m.attributes) out.push_back(a.type);
  return out;
}

std::vector<std::size_t> offsets_of(const stun::message& m) {
  std::vector<std::size_t> out;
  for (const auto& a : m.attributes) out.push_back(a.offset);
  return out;
}

const stun::attribute& get(const stun::message& m, std::uint16_t type) {
  const auto* a = m.find(type);
  INFO("attribute " << type);
  REQUIRE(a);
  return *a;
}

std::string text(const stun::message& m, std::uint16_t type) { return stun::read_text(get(m, type)); }

std::string endpoint_text(const std::optional<boost::asio::ip::udp::endpoint>& e) {
  if (!e) return "none";
  return (e->address().is_v6() ? "[" + e->address().to_string() + "]" : e->address().to_string()) + ":" +
         std::to_string(e->port());
}

std::string xor_endpoint(const stun::message& m, std::uint16_t type) {
  return endpoint_text(stun::read_xor_address(get(m, type), m.cookie, m.id));
}

// Also used for constants, before doctest runs: no assertions in here.
stun::transaction_id id_of(std::string_view twelve) {
  stun::transaction_id id{};
  std::copy_n(twelve.begin(), std::min(twelve.size(), id.size()), id.begin());
  return id;
}

stun::transaction_id id_from_hex(std::string_view hex) {
  const auto b = from_hex(hex);
  return id_of(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

wire::failure decode_fails(const bytes& b, stun::dialect d = stun::dialect::rfc) {
  auto r = stun::decode(b, d);
  REQUIRE_FALSE(r.value);
  return r.error;
}

// Appends an attribute after the last one and makes the header length count it.
bytes with_appended(bytes b, const bytes& attribute) {
  b.insert(b.end(), attribute.begin(), attribute.end());
  const std::size_t length = b.size() - stun::header_size;
  b[2] = static_cast<std::uint8_t>(length >> 8);
  b[3] = static_cast<std::uint8_t>(length);
  return b;
}

const auto short_term_password = text_bytes("VOkJxbRl1RmTxUk/WvJxBt");

// RFC 5769 §2.1-2.4, as printed in the RFC. The request pads USERNAME, the
// responses pad SOFTWARE, with spaces (0x20), which the HMAC covers.
const bytes rfc5769_request = from_hex(
    "000100582112a442b7e7a701bc34d686fa87dfae"
    "802200105354554e20746573742063 6c69656e74"
    "002400046e0001ff"
    "80290008932ff9b151263b36"
    "000600096576746a3a68367659202020"
    "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
    "80280004e57a3bcf");
const bytes rfc5769_ipv4_response = from_hex(
    "0101003c2112a442b7e7a701bc34d686fa87dfae"
    "8022000b7465737420766563746f7220"
    "002000080001a147e112a643"
    "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
    "80280004c07d4c96");
const bytes rfc5769_ipv6_response = from_hex(
    "010100482112a442b7e7a701bc34d686fa87dfae"
    "8022000b7465737420766563746f7220"
    "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
    "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
    "80280004c8fb0b4c");
const bytes rfc5769_long_term_request = from_hex(
    "000100602112a44278ad3433c6ad72c029da412e"
    "00060012e3839ee38388e383aae38383e382afe382b90000"
    "0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341"
    "0014000b6578616d706c652e6f726700"
    "00080014f67024656dd64a3e02b8e0712e85c9a28ca89666");
const auto rfc5769_id = id_from_hex("b7e7a701bc34d686fa87dfae");

// The 120-byte Allocate request of a Lync/Skype for Business client (MS-TURN).
const bytes ms_turn_allocate = from_hex(
    "000300642112a442f13c084b8018177247493065000f000472c64bc6800800040000000400060038"
    "0200002479b7952d01cea86e4e3d762264aac7b62bb878deee8ac08884491b7c00000000828b7375"
    "dd0cae6695edef56d04b54a47cbdfa9800100004000000c8800600040000000180550004000100 00");
const bytes ms_turn_username = from_hex(
    "0200002479b7952d01cea86e4e3d762264aac7b62bb878deee8ac08884491b7c00000000828b7375"
    "dd0cae6695edef56d04b54a47cbdfa98");

const auto alice_key = stun::long_term_key("alice", "edgeprobe.test", "secret");
const auto wrong_key = stun::long_term_key("alice", "edgeprobe.test", "wrong");
constexpr std::string_view coturn_software = "Coturn-4.6.1 'Gorst'";
constexpr std::string_view coturn_nonce = "d00b805da5adf4ab";

} // namespace

TEST_SUITE("stun") {

TEST_CASE("stun codec: message types interleave the class bits with the method") {
  using stun::message_class;
  CHECK(stun::message_type(stun::method::binding, message_class::request) == 0x0001);
  CHECK(stun::message_type(stun::method::binding, message_class::indication) == 0x0011);
  CHECK(stun::message_type(stun::method::binding, message_class::success) == 0x0101);
  CHECK(stun::message_type(stun::method::binding, message_class::error) == 0x0111);
  CHECK(stun::message_type(stun::method::allocate, message_class::request) == 0x0003);
  CHECK(stun::message_type(stun::method::allocate, message_class::success) == 0x0103);
  CHECK(stun::message_type(stun::method::allocate, message_class::error) == 0x0113);
  CHECK(stun::message_type(stun::method::refresh, message_class::request) == 0x0004);
  CHECK(stun::message_type(stun::method::refresh, message_class::success) == 0x0104);
  CHECK(stun::message_type(stun::method::refresh, message_class::error) == 0x0114);
  // All twelve method bits: M0-M3, then M4-M6 above C0, then M7-M11 above C1.
  CHECK(stun::message_type(0xFFF, message_class::request) == 0x3EEF);
  CHECK(stun::message_type(0xFFF, message_class::error) == 0x3FFF);
  CHECK(stun::message_type(0x080, message_class::request) == 0x0200);

  CHECK(stun::method_of(0x0113) == stun::method::allocate);
  CHECK(stun::class_of(0x0113) == message_class::error);
  CHECK(stun::class_of(0x0011) == message_class::indication);
  CHECK(stun::class_of(0x0104) == message_class::success);
  CHECK(stun::method_of(0x3EEF) == 0xFFF);
  CHECK(stun::method_of(0x0200) == 0x080);

  int round_trips = 0;
  for (std::uint16_t method = 0; method <= 0xFFF; ++method)
    for (auto klass : {message_class::request, message_class::indication, message_class::success, message_class::error}) {
      const auto type = stun::message_type(method, klass);
      if ((type & 0xC000) == 0 && stun::method_of(type) == method && stun::class_of(type) == klass) ++round_trips;
    }
  CHECK(round_trips == 4096 * 4);
}

TEST_CASE("stun codec: names for evidence, NONCE and REALM swapped in MS-TURN") {
  CHECK(stun::method_name(0x003) == "Allocate");
  CHECK(stun::method_name(0x001) == "Binding");
  CHECK(stun::method_name(0x004) == "Refresh");
  CHECK(stun::method_name(0x009) == "ChannelBind");
  CHECK(stun::method_name(0x005) == "0x005");
  CHECK(stun::class_name(stun::message_class::request) == "request");
  CHECK(stun::class_name(stun::message_class::indication) == "indication");
  CHECK(stun::class_name(stun::message_class::success) == "success response");
  CHECK(stun::class_name(stun::message_class::error) == "error response");

  CHECK(stun::attribute_name(0x0014, stun::dialect::rfc) == "REALM");
  CHECK(stun::attribute_name(0x0015, stun::dialect::rfc) == "NONCE");
  CHECK(stun::attribute_name(0x0014, stun::dialect::ms_turn) == "NONCE");
  CHECK(stun::attribute_name(0x0015, stun::dialect::ms_turn) == "REALM");
  CHECK(stun::attribute_name(0x8006, stun::dialect::rfc) == "0x8006");
  CHECK(stun::attribute_name(0x8006, stun::dialect::ms_turn) == "0x8006");
  CHECK(stun::attribute_name(0x000F, stun::dialect::ms_turn) == "MAGIC-COOKIE");
  CHECK(stun::attribute_name(0x000F, stun::dialect::rfc) == "0x000F");
  CHECK(stun::attribute_name(0x8008, stun::dialect::ms_turn) == "MS-VERSION");
  CHECK(stun::attribute_name(0x8055, stun::dialect::ms_turn) == "MS-SERVICE-QUALITY");
  CHECK(stun::attribute_name(0x8050, stun::dialect::ms_turn) == "MS-SEQUENCE-NUMBER");
  CHECK(stun::attribute_name(0x0010, stun::dialect::ms_turn) == "BANDWIDTH");
  CHECK(stun::attribute_name(0x000E, stun::dialect::ms_turn) == "ALTERNATE-SERVER");
  CHECK(stun::attribute_name(0x8023, stun::dialect::rfc) == "ALTERNATE-SERVER");
  CHECK(stun::attribute_name(0x0020, stun::dialect::rfc) == "XOR-MAPPED-ADDRESS");
  CHECK(stun::attribute_name(0x0016, stun::dialect::rfc) == "XOR-RELAYED-ADDRESS");
  CHECK(stun::attribute_name(0x8028, stun::dialect::rfc) == "FINGERPRINT");
  CHECK(stun::attribute_name(0x802B, stun::dialect::rfc) == "RESPONSE-ORIGIN");
  CHECK(stun::attribute_name(0x0004, stun::dialect::rfc) == "SOURCE-ADDRESS");

  CHECK(stun::realm_type(stun::dialect::rfc) == 0x0014);
  CHECK(stun::nonce_type(stun::dialect::rfc) == 0x0015);
  CHECK(stun::realm_type(stun::dialect::ms_turn) == 0x0015);
  CHECK(stun::nonce_type(stun::dialect::ms_turn) == 0x0014);
}

TEST_CASE("stun codec: RFC 5769 2.1 sample request (short-term credentials)") {
  REQUIRE(rfc5769_request.size() == 108);
  const auto m = decode_ok(rfc5769_request);
  CHECK(m.method == stun::method::binding);
  CHECK(m.klass == stun::message_class::request);
  CHECK(m.cookie == stun::magic_cookie);
  CHECK(m.id == rfc5769_id);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028});
  CHECK(offsets_of(m) == std::vector<std::size_t>{20, 40, 48, 60, 76, 100});
  CHECK(text(m, stun::attr::software) == "STUN test client");
  CHECK(text(m, stun::attr::username) == "evtj:h6vY"); // the three padding spaces are not part of it
  CHECK(stun::read_u32(get(m, 0x0024)) == 0x6e0001ffu);
  CHECK(get(m, 0x8029).value == from_hex("932ff9b151263b36"));
  CHECK(stun::read_u32(get(m, stun::attr::fingerprint)) == 0xe57a3bcfu);

  CHECK(stun::verify_integrity(rfc5769_request, m, short_term_password) == true);
  CHECK(stun::verify_fingerprint(rfc5769_request, m) == true);
  CHECK(stun::verify_integrity(rfc5769_request, m, text_bytes("VOkJxbRl1RmTxUk/WvJxBT")) == false);

  // One byte of SOFTWARE, or of USERNAME's padding, changed: both checks fail.
  for (const std::size_t at : {std::size_t{24}, std::size_t{73}}) {
    auto changed = rfc5769_request;
    changed[at] ^= 0x01;
    const auto c = decode_ok(changed);
    CAPTURE(at);
    CHECK(stun::verify_integrity(changed, c, short_term_password) == false);
    CHECK(stun::verify_fingerprint(changed, c) == false);
  }
}

TEST_CASE("stun codec: RFC 5769 2.2 sample IPv4 response") {
  const auto m = decode_ok(rfc5769_ipv4_response);
  CHECK(m.klass == stun::message_class::success);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x0020, 0x0008, 0x8028});
  CHECK(text(m, stun::attr::software) == "test vector");
  CHECK(xor_endpoint(m, stun::attr::xor_mapped_address) == "192.0.2.1:32853");
  CHECK(stun::verify_integrity(rfc5769_ipv4_response, m, short_term_password) == true);
  CHECK(stun::verify_fingerprint(rfc5769_ipv4_response, m) == true);

  auto changed = rfc5769_ipv4_response;
  changed[47] ^= 0x01; // last byte of the XORed address
  const auto c = decode_ok(changed);
  CHECK(xor_endpoint(c, stun::attr::xor_mapped_address) == "192.0.2.0:32853");
  CHECK(stun::verify_integrity(changed, c, short_term_password) == false);
  CHECK(stun::verify_fingerprint(changed, c) == false);

  // MESSAGE-INTEGRITY does not cover the FINGERPRINT after it.
  auto bad_crc = rfc5769_ipv4_response;
  bad_crc.back() ^= 0x80;
  const auto b = decode_ok(bad_crc);
  CHECK(stun::verify_integrity(bad_crc, b, short_term_password) == true);
  CHECK(stun::verify_fingerprint(bad_crc, b) == false);
}

TEST_CASE("stun codec: RFC 5769 2.3 sample IPv6 response") {
  const auto m = decode_ok(rfc5769_ipv6_response);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x0020, 0x0008, 0x8028});
  CHECK(xor_endpoint(m, stun::attr::xor_mapped_address) == "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  CHECK(stun::verify_integrity(rfc5769_ipv6_response, m, short_term_password) == true);
  CHECK(stun::verify_fingerprint(rfc5769_ipv6_response, m) == true);

  auto changed = rfc5769_ipv6_response;
  changed[59] ^= 0x01; // the last byte of the address, XORed with the transaction ID's last
  const auto c = decode_ok(changed);
  CHECK(xor_endpoint(c, stun::attr::xor_mapped_address) == "[2001:db8:1234:5678:11:2233:4455:6676]:32853");
  CHECK(stun::verify_integrity(changed, c, short_term_password) == false);
  CHECK(stun::verify_fingerprint(changed, c) == false);
}

TEST_CASE("stun codec: RFC 5769 2.4 sample request with long-term credentials") {
  const std::string username = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9"; // マトリックス
  const auto key = stun::long_term_key(username, "example.org", "TheMatrIX");
  CHECK(bytes(key.begin(), key.end()) == from_hex("e8ca7ad59d5eb0518e312911d2dab2a9"));

  const auto m = decode_ok(rfc5769_long_term_request);
  CHECK(m.id == id_from_hex("78ad3433c6ad72c029da412e"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0006, 0x0015, 0x0014, 0x0008});
  CHECK(text(m, stun::attr::username) == username);
  CHECK(text(m, stun::nonce_type(stun::dialect::rfc)) == "f//499k954d6OL34oL9FSTvy64sA");
  CHECK(text(m, stun::realm_type(stun::dialect::rfc)) == "example.org");
  CHECK(stun::verify_integrity(rfc5769_long_term_request, m, key) == true);
  CHECK_FALSE(stun::verify_fingerprint(rfc5769_long_term_request, m).has_value());
  CHECK(stun::verify_integrity(rfc5769_long_term_request, m, stun::long_term_key(username, "example.org", "TheMatrix")) ==
        false);

  auto changed = rfc5769_long_term_request;
  changed[50] ^= 0x20; // one letter of the nonce
  CHECK(stun::verify_integrity(changed, decode_ok(changed), key) == false);

  // Its padding is zeros, so the encoder rebuilds it byte for byte, MESSAGE-INTEGRITY included.
  const auto rebuilt = stun::encoder(stun::method::binding, stun::message_class::request, stun::magic_cookie, m.id,
                                     stun::dialect::rfc)
                           .add_text(stun::attr::username, username)
                           .add_text(stun::nonce_type(stun::dialect::rfc), "f//499k954d6OL34oL9FSTvy64sA")
                           .add_text(stun::realm_type(stun::dialect::rfc), "example.org")
                           .finish(std::span<const std::uint8_t>(key));
  CHECK(rebuilt == rfc5769_long_term_request);
}

TEST_CASE("stun codec: the RFC 5769 vectors in the fuzz corpus are the RFC's bytes") {
  CHECK(corpus("rfc5769_sample_request.bin") == rfc5769_request);
  CHECK(corpus("rfc5769_sample_ipv4_response.bin") == rfc5769_ipv4_response);
  CHECK(corpus("rfc5769_sample_ipv6_response.bin") == rfc5769_ipv6_response);
  CHECK(corpus("rfc5769_sample_request_long_term.bin") == rfc5769_long_term_request);
  CHECK(corpus("ms_turn_allocate_request_lync_edge.bin") == ms_turn_allocate);
}

TEST_CASE("stun codec: the MS-TURN Allocate request decodes, and the encoder rebuilds it byte for byte") {
  REQUIRE(ms_turn_allocate.size() == 120);
  const auto m = decode_ok(ms_turn_allocate, stun::dialect::ms_turn);
  CHECK(m.method == stun::method::allocate);
  CHECK(m.klass == stun::message_class::request);
  CHECK(m.cookie == 0x2112A442u);
  CHECK(m.id == id_from_hex("f13c084b8018177247493065"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x000F, 0x8008, 0x0006, 0x0010, 0x8006, 0x8055});
  CHECK(offsets_of(m) == std::vector<std::size_t>{20, 28, 36, 96, 104, 112});
  std::vector<std::string> names;
  for (const auto& a : m.attributes) names.push_back(stun::attribute_name(a.type, stun::dialect::ms_turn));
  CHECK(names == std::vector<std::string>{"MAGIC-COOKIE", "MS-VERSION", "USERNAME", "BANDWIDTH", "0x8006",
                                          "MS-SERVICE-QUALITY"});
  CHECK(stun::read_u32(get(m, stun::attr::ms_magic_cookie)) == stun::ms_magic_cookie);
  CHECK(stun::read_u32(get(m, stun::attr::ms_version)) == 4u);
  CHECK(get(m, stun::attr::username).value == ms_turn_username);
  CHECK(stun::read_u32(get(m, stun::attr::ms_bandwidth)) == 200u);
  CHECK(stun::read_u32(get(m, 0x8006)) == 1u);
  CHECK(get(m, stun::attr::ms_service_quality).value == bytes{0x00, 0x01, 0x00, 0x00}); // audio, best effort
  CHECK_FALSE(stun::verify_integrity(ms_turn_allocate, m, alice_key).has_value());
  CHECK_FALSE(stun::verify_fingerprint(ms_turn_allocate, m).has_value());

  const auto rebuilt = stun::encoder(stun::method::allocate, stun::message_class::request, 0x2112A442, m.id,
                                     stun::dialect::ms_turn)
                           .add_u32(stun::attr::ms_version, 4)
                           .add(stun::attr::username, ms_turn_username)
                           .add_u32(stun::attr::ms_bandwidth, 200)
                           .add_u32(0x8006, 1)
                           .add(stun::attr::ms_service_quality, bytes{0x00, 0x01, 0x00, 0x00})
                           .finish();
  CHECK(rebuilt == ms_turn_allocate);
}

TEST_CASE("stun codec: MS-TURN attributes are not padded, RFC ones are") {
  const stun::transaction_id id{};
  const auto ms = stun::encoder(stun::method::binding, stun::message_class::request, stun::magic_cookie, id,
                                stun::dialect::ms_turn)
                      .add_text(stun::realm_type(stun::dialect::ms_turn), "abc")
                      .finish();
  CHECK(ms == from_hex("0001000f2112a442000000000000000000000000"
                       "000f000472c64bc6"
                       "00150003616263"));
  const auto m = decode_ok(ms, stun::dialect::ms_turn);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x000F, 0x0015});
  CHECK(text(m, stun::realm_type(stun::dialect::ms_turn)) == "abc");
  const auto e = decode_fails(ms, stun::dialect::rfc);
  CHECK(e.offset == 2);
  CHECK(e.what == "header length 15 is not a multiple of 4");

  const auto rfc = stun::encoder(stun::method::binding, stun::message_class::request, stun::magic_cookie, id,
                                 stun::dialect::rfc)
                       .add_text(stun::realm_type(stun::dialect::rfc), "abc")
                       .finish();
  CHECK(rfc == from_hex("000100082112a442000000000000000000000000"
                        "0014000361626300"));
}

TEST_CASE("stun codec: decode rejects what it cannot trust, saying where and why") {
  const auto header = [](std::uint16_t length) {
    auto b = from_hex("000100002112a442000102030405060708090a0b");
    b[2] = static_cast<std::uint8_t>(length >> 8);
    b[3] = static_cast<std::uint8_t>(length);
    return b;
  };

  auto e = decode_fails(bytes(19, 0));
  CHECK(e.offset == 0);
  CHECK(e.what == "shorter than a STUN header (20 bytes): 19 bytes");

  auto not_stun = header(0);
  not_stun[0] = 0x40;
  e = decode_fails(not_stun);
  CHECK(e.offset == 0);
  CHECK(e.what == "the first two bits are not zero (not a STUN message)");

  auto short_body = header(8);
  short_body.insert(short_body.end(), {0x80, 0x22, 0x00, 0x00});
  e = decode_fails(short_body);
  CHECK(e.offset == 2);
  CHECK(e.what == "header length 8 disagrees with the 4 bytes after the header");

  auto trailing = header(4);
  trailing.insert(trailing.end(), {0x80, 0x22, 0x00, 0x00, 0x80, 0x22, 0x00, 0x00});
  e = decode_fails(trailing, stun::dialect::ms_turn);
  CHECK(e.offset == 2);
  CHECK(e.what == "header length 4 disagrees with the 8 bytes after the header");

  auto odd = header(6);
  odd.insert(odd.end(), {0x80, 0x22, 0x00, 0x02, 'o', 'k'});
  e = decode_fails(odd);
  CHECK(e.offset == 2);
  CHECK(e.what == "header length 6 is not a multiple of 4");
  CHECK(text(decode_ok(odd, stun::dialect::ms_turn), stun::attr::software) == "ok");

  auto value_past_end = header(8);
  value_past_end.insert(value_past_end.end(), {0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47});
  e = decode_fails(value_past_end);
  CHECK(e.offset == 20);
  CHECK(e.what == "attribute 0x0020 at 20 runs past the end (8 bytes, 4 left)");

  auto huge = header(4);
  huge.insert(huge.end(), {0x80, 0x22, 0xff, 0xff});
  e = decode_fails(huge, stun::dialect::ms_turn);
  CHECK(e.offset == 20);
  CHECK(e.what == "attribute 0x8022 at 20 runs past the end (65535 bytes, 0 left)");

  auto header_past_end = header(2);
  header_past_end.insert(header_past_end.end(), {0x00, 0x20});
  e = decode_fails(header_past_end, stun::dialect::ms_turn);
  CHECK(e.offset == 20);
  CHECK(e.what == "attribute header at 20 runs past the end");

  auto short_mi = header(20);
  const auto mi16 = from_hex("00080010" + std::string(32, 'a'));
  short_mi.insert(short_mi.end(), mi16.begin(), mi16.end());
  for (auto d : {stun::dialect::rfc, stun::dialect::ms_turn}) {
    e = decode_fails(short_mi, d);
    CHECK(e.offset == 20);
    CHECK(e.what == "MESSAGE-INTEGRITY at 20 is 16 bytes, not 20");
  }

  auto long_fp = header(12);
  const auto fp8 = from_hex("802800080000000000000000");
  long_fp.insert(long_fp.end(), fp8.begin(), fp8.end());
  e = decode_fails(long_fp);
  CHECK(e.offset == 20);
  CHECK(e.what == "FINGERPRINT at 20 is 8 bytes, not 4");

  // FINGERPRINT must be last in RFC STUN; MS-TURN does not define it.
  const auto fp_then_software = with_appended(
      stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie, rfc5769_id,
                    stun::dialect::rfc)
          .finish(std::nullopt, true),
      from_hex("80220004 6c617465"));
  e = decode_fails(fp_then_software);
  CHECK(e.offset == 20);
  CHECK(e.what == "FINGERPRINT at 20 is not the last attribute");
  CHECK(types_of(decode_ok(fp_then_software, stun::dialect::ms_turn)) == std::vector<std::uint16_t>{0x8028, 0x8022});
}

TEST_CASE("stun codec: padding is skipped whatever its bytes, MS-TURN reads none") {
  auto b = from_hex("010100102112a442000102030405060708090a0b"
                    "8022000178ffffff"
                    "000d000400000258");
  const auto m = decode_ok(b);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x000D});
  CHECK(offsets_of(m) == std::vector<std::size_t>{20, 28});
  CHECK(text(m, stun::attr::software) == "x");
  CHECK(stun::read_u32(get(m, stun::attr::lifetime)) == 600u);

  // Read unpadded, the padding is taken for the next attribute's header.
  const auto e = decode_fails(b, stun::dialect::ms_turn);
  CHECK(e.offset == 25);
  CHECK(e.what == "attribute 0xFFFF at 25 runs past the end (65280 bytes, 7 left)");
}

TEST_CASE("stun codec: typed readers refuse malformed values") {
  const auto a = [](std::uint16_t type, std::string_view hex) { return stun::attribute{type, from_hex(hex), 0}; };
  const auto id = rfc5769_id;

  CHECK(endpoint_text(stun::read_address(a(1, "00011f900a000001"))) == "10.0.0.1:8080");
  CHECK(endpoint_text(stun::read_address(a(1, "ff011f900a000001"))) == "10.0.0.1:8080"); // reserved byte ignored
  CHECK(endpoint_text(stun::read_address(a(1, "00021f9020010db8000000000000000000000001"))) == "[2001:db8::1]:8080");
  CHECK_FALSE(stun::read_address(a(1, "00011f900a0000")).has_value());    // 7 bytes
  CHECK_FALSE(stun::read_address(a(1, "00011f900a00000101")).has_value()); // 9 bytes
  CHECK_FALSE(stun::read_address(a(1, "00031f900a000001")).has_value());  // family 3
  CHECK_FALSE(stun::read_address(a(1, "00021f900a000001")).has_value());  // IPv6 family, IPv4 length
  CHECK_FALSE(stun::read_address(a(1, "0001")).has_value());
  CHECK_FALSE(stun::read_address(a(1, "")).has_value());

  CHECK(endpoint_text(stun::read_xor_address(a(0x20, "0001a147e112a643"), stun::magic_cookie, id)) == "192.0.2.1:32853");
  CHECK_FALSE(stun::read_xor_address(a(0x20, "0001a147e112a6"), stun::magic_cookie, id).has_value());
  CHECK_FALSE(stun::read_xor_address(a(0x20, "0002a147e112a643"), stun::magic_cookie, id).has_value());
  CHECK_FALSE(stun::read_xor_address(a(0x20, "00"), stun::magic_cookie, id).has_value());
  // Another cookie (an RFC 3489 or MS-TURN transaction) unmasks to another address.
  CHECK(endpoint_text(stun::read_xor_address(a(0x20, "0001a147e112a643"), 0, id)) == "225.18.166.67:41287");

  CHECK(stun::read_u32(a(0x0D, "00000258")) == 600u);
  CHECK_FALSE(stun::read_u32(a(0x0D, "000002")).has_value());
  CHECK_FALSE(stun::read_u32(a(0x0D, "0000025800")).has_value());

  const auto unauthorized = stun::read_error_code(a(9, "00000401556e617574686f72697a6564"));
  REQUIRE(unauthorized);
  CHECK(unauthorized->code == 401);
  CHECK(unauthorized->reason == "Unauthorized");
  const auto reserved_bits_set = stun::read_error_code(a(9, "fffffc26"));
  REQUIRE(reserved_bits_set);
  CHECK(reserved_bits_set->code == 438);
  CHECK(reserved_bits_set->reason.empty());
  CHECK_FALSE(stun::read_error_code(a(9, "000004")).has_value());
  CHECK_FALSE(stun::read_error_code(a(9, "00000200")).has_value()); // class 2
  CHECK_FALSE(stun::read_error_code(a(9, "00000700")).has_value()); // class 7
  CHECK_FALSE(stun::read_error_code(a(9, "00000464")).has_value()); // number 100

  CHECK(stun::read_text(a(0x8022, "610062")) == std::string("a\0b", 3));
  CHECK(stun::read_text(a(0x8022, "")).empty());
}

TEST_CASE("stun codec: the encoder writes every attribute form exactly") {
  const auto v4 = boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("192.0.2.1"), 32853);
  const auto v6 = boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
  const auto built = stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie, rfc5769_id,
                                   stun::dialect::rfc)
                         .add_xor_address(stun::attr::xor_mapped_address, v4)
                         .add_xor_address(stun::attr::xor_mapped_address, v6)
                         .add_address(stun::attr::mapped_address, v4)
                         .add_address(stun::attr::response_origin, v6)
                         .add_error_code(401, "Unauthorized")
                         .add_error_code(438, "Stale Nonce")
                         .add_requested_transport_udp()
                         .add_u32(stun::attr::lifetime, 600)
                         .add_text(stun::attr::software, "")
                         .finish();
  CHECK(built == from_hex("010100842112a442b7e7a701bc34d686fa87dfae"
                          "002000080001a147e112a643"                         // RFC 5769 2.2's bytes
                          "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9" // RFC 5769 2.3's bytes
                          "000100080001 8055c0000201"
                          "802b001400028055 20010db8123456780011223344556677"
                          "0009001000000401556e617574686f72697a6564"
                          "0009000f00000426 5374616c65204e6f6e636500"
                          "0019000411000000"
                          "000d000400000258"
                          "80220000"));
  const auto m = decode_ok(built);
  CHECK(xor_endpoint(m, stun::attr::xor_mapped_address) == "192.0.2.1:32853");
  CHECK(endpoint_text(stun::read_xor_address(m.attributes[1], m.cookie, m.id)) ==
        "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  CHECK(endpoint_text(stun::read_address(get(m, stun::attr::response_origin))) ==
        "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  CHECK(stun::read_error_code(m.attributes[5])->reason == "Stale Nonce");

  stun::encoder e(stun::method::binding, stun::message_class::error, stun::magic_cookie, rfc5769_id, stun::dialect::rfc);
  CHECK_THROWS_AS(e.add_error_code(299, "too low"), std::invalid_argument);
  CHECK_THROWS_AS(e.add_error_code(700, "too high"), std::invalid_argument);
  CHECK_THROWS_AS(e.add(0x8022, bytes(65536, 'x')), std::length_error);
  e.add(0x8022, bytes(65508, 'x')); // with its header, 65512 of the 65535 the length field can count
  CHECK(e.finish().size() == 20 + 65512);
  CHECK_THROWS_AS(e.finish(std::span<const std::uint8_t>(alice_key)), std::length_error); // + 24
  CHECK(e.finish(std::nullopt, true).size() == 20 + 65520);
  CHECK_THROWS_AS(e.add(0x8022, bytes(28, 'x')), std::length_error);
  CHECK(e.add(0x8022, bytes(16, 'x')).finish().size() == 20 + 65532);
  CHECK_THROWS_AS(e.add(0x8022, bytes{}), std::length_error);
}

TEST_CASE("stun codec: MESSAGE-INTEGRITY ignores attributes after it, FINGERPRINT covers all before it") {
  const auto v4 = boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("192.0.2.1"), 32853);
  const auto protected_only = stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie,
                                            rfc5769_id, stun::dialect::rfc)
                                  .add_text(stun::attr::software, "test vector")
                                  .add_xor_address(stun::attr::xor_mapped_address, v4)
                                  .finish(std::span<const std::uint8_t>(short_term_password));
  // The RFC 5769 2.2 response without FINGERPRINT, but for the padding byte of
  // SOFTWARE (0 here, a space there).
  CHECK(bytes(protected_only.begin() + 4, protected_only.begin() + 35) ==
        bytes(rfc5769_ipv4_response.begin() + 4, rfc5769_ipv4_response.begin() + 35));
  CHECK(bytes(protected_only.begin() + 36, protected_only.begin() + 52) ==
        bytes(rfc5769_ipv4_response.begin() + 36, rfc5769_ipv4_response.begin() + 52));
  CHECK(protected_only[35] == 0x00);
  CHECK(protected_only[3] == 0x34); // the length counts MESSAGE-INTEGRITY, not yet FINGERPRINT

  const auto late = with_appended(protected_only, from_hex("802200046c617465"));
  auto m = decode_ok(late);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x0020, 0x0008, 0x8022});
  CHECK(stun::verify_integrity(late, m, short_term_password) == true);
  auto late_changed = late;
  late_changed.back() ^= 0xFF;
  CHECK(stun::verify_integrity(late_changed, decode_ok(late_changed), short_term_password) == true);
  CHECK_FALSE(stun::verify_fingerprint(late, m).has_value());

  const auto both = stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie, rfc5769_id,
                                  stun::dialect::rfc)
                        .add_text(stun::attr::software, "test vector")
                        .add_xor_address(stun::attr::xor_mapped_address, v4)
                        .finish(std::span<const std::uint8_t>(short_term_password), true);
  CHECK(both.size() == 80);
  CHECK(both[3] == 0x3c);
  m = decode_ok(both);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x8022, 0x0020, 0x0008, 0x8028});
  CHECK(stun::verify_integrity(both, m, short_term_password) == true);
  CHECK(stun::verify_fingerprint(both, m) == true);
  // The same MESSAGE-INTEGRITY value: its header length counted it, not the FINGERPRINT.
  CHECK(bytes(both.begin() + 52, both.begin() + 72) == bytes(protected_only.begin() + 52, protected_only.end()));
}

TEST_CASE("stun codec: integrity keys of any length, CRC-32 and the long-term key") {
  const stun::transaction_id id{};
  for (const auto& key : {bytes{}, bytes(1, 'k'), bytes(100, 'k')}) {
    const auto b = stun::encoder(stun::method::binding, stun::message_class::request, stun::magic_cookie, id,
                                 stun::dialect::rfc)
                       .finish(std::span<const std::uint8_t>(key));
    CAPTURE(key.size());
    CHECK(stun::verify_integrity(b, decode_ok(b), key) == true);
    CHECK(stun::verify_integrity(b, decode_ok(b), bytes(2, 'k')) == false);
  }

  CHECK(stun::crc32(text_bytes("123456789")) == 0xCBF43926u); // the CRC-32/ISO-HDLC check value
  CHECK(stun::crc32(bytes{}) == 0u);
  CHECK(bytes(alice_key.begin(), alice_key.end()) == from_hex("9de04e3a4c32dc071442ddae1172ed55"));
}

TEST_CASE("stun codec: framing a stream and telling STUN from other protocols") {
  CHECK_FALSE(stun::framed_size(bytes(19, 0)).has_value());
  CHECK(stun::framed_size(bytes(rfc5769_request.begin(), rfc5769_request.begin() + 20)) == 108u);
  CHECK(stun::framed_size(ms_turn_allocate) == 120u);

  CHECK(stun::looks_like_stun(rfc5769_request));
  CHECK(stun::looks_like_stun(corpus("coturn_binding_success_rfc3489_cookie.bin"))); // no magic cookie, exact length
  // The first bytes of a stream: as far as they go, they fit.
  CHECK(stun::looks_like_stun(bytes(rfc5769_request.begin(), rfc5769_request.begin() + 19)));
  CHECK(stun::looks_like_stun(bytes(rfc5769_request.begin(), rfc5769_request.begin() + 7)));
  CHECK(stun::looks_like_stun(bytes(rfc5769_request.begin(), rfc5769_request.begin() + 1)));
  CHECK_FALSE(stun::looks_like_stun(bytes{}));
  // Without the magic cookie, only a whole header whose length fits.
  const auto old_style = corpus("coturn_binding_success_rfc3489_cookie.bin");
  CHECK_FALSE(stun::looks_like_stun(bytes(old_style.begin(), old_style.begin() + 19)));
  CHECK_FALSE(stun::looks_like_stun(bytes(old_style.begin(), old_style.end() - 1)));
  CHECK_FALSE(stun::looks_like_stun(text_bytes("HTTP/1.1 400 Bad Request\r\n\r\n")));
  auto high_bits = rfc5769_request;
  high_bits[0] = 0x80;
  CHECK_FALSE(stun::looks_like_stun(high_bits));
  // A TLS alert record (what a TLS port sends back): first two bits zero, but
  // no method that small, and with more bytes neither cookie nor length fits.
  CHECK_FALSE(stun::looks_like_stun(from_hex("15030300020228")));
  CHECK_FALSE(stun::looks_like_stun(from_hex("15030300020228 00000000000000000000000000")));
  CHECK(stun::looks_like_stun(from_hex("03")));   // a method up to 0x0FF
  CHECK_FALSE(stun::looks_like_stun(from_hex("04"))); // 0x100 and above
}

TEST_CASE("stun codec: coturn's Binding success response") {
  const auto b = corpus("coturn_binding_success.bin");
  const auto m = decode_ok(b);
  CHECK(m.method == stun::method::binding);
  CHECK(m.klass == stun::message_class::success);
  CHECK(m.id == id_of("edgeprobe-b1"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0020, 0x0001, 0x802B, 0x8022, 0x8028});
  CHECK(xor_endpoint(m, stun::attr::xor_mapped_address) == "127.0.0.1:46825");
  CHECK(endpoint_text(stun::read_address(get(m, stun::attr::mapped_address))) == "127.0.0.1:46825");
  CHECK(endpoint_text(stun::read_address(get(m, stun::attr::response_origin))) == "127.0.0.1:47015");
  CHECK(text(m, stun::attr::software) == coturn_software);
  CHECK(stun::verify_fingerprint(b, m) == true);
  CHECK_FALSE(stun::verify_integrity(b, m, alice_key).has_value());
}

TEST_CASE("stun codec: coturn answers a request without the magic cookie the RFC 3489 way") {
  const auto b = corpus("coturn_binding_success_rfc3489_cookie.bin");
  const auto m = decode_ok(b);
  CHECK(m.cookie == 0x01020304u);
  CHECK(m.id == id_of("edgeprobe-b2"));
  // MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS; no XOR address, no FINGERPRINT.
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0001, 0x0004, 0x0005, 0x8022});
  CHECK(endpoint_text(stun::read_address(get(m, stun::attr::mapped_address))) == "127.0.0.1:46825");
  CHECK(endpoint_text(stun::read_address(get(m, 0x0004))) == "127.0.0.1:47015");
  // Its SOFTWARE counts four NULs of padding in the length.
  CHECK(text(m, stun::attr::software) == std::string(coturn_software) + std::string(4, '\0'));
  CHECK_FALSE(stun::verify_fingerprint(b, m).has_value());
}

TEST_CASE("stun codec: coturn's 401 to an Allocate without credentials") {
  const auto b = corpus("coturn_allocate_401_unauthenticated.bin");
  const auto m = decode_ok(b);
  CHECK(m.method == stun::method::allocate);
  CHECK(m.klass == stun::message_class::error);
  CHECK(m.id == id_of("edgeprobe-a1"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0009, 0x0015, 0x0014, 0x8022, 0x8028});
  CHECK(offsets_of(m) == std::vector<std::size_t>{20, 40, 60, 80, 104});
  const auto error = stun::read_error_code(get(m, stun::attr::error_code));
  REQUIRE(error);
  CHECK(error->code == 401);
  CHECK(error->reason == "Unauthorized");
  CHECK(text(m, stun::nonce_type(stun::dialect::rfc)) == coturn_nonce);
  CHECK(text(m, stun::realm_type(stun::dialect::rfc)) == "edgeprobe.test");
  CHECK(text(m, stun::attr::software) == coturn_software);
  CHECK_FALSE(stun::verify_integrity(b, m, alice_key).has_value());
  CHECK(stun::verify_fingerprint(b, m) == true);
}

TEST_CASE("stun codec: coturn's 401 to a wrong password and 438 to an unknown nonce") {
  const auto wrong = corpus("coturn_allocate_401_wrong_password.bin");
  auto m = decode_ok(wrong);
  CHECK(m.id == id_of("edgeprobe-a2"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0009, 0x0015, 0x0014, 0x8022, 0x8028});
  CHECK(stun::read_error_code(get(m, stun::attr::error_code))->code == 401);
  CHECK(text(m, stun::attr::nonce) == coturn_nonce); // the same nonce again
  CHECK_FALSE(stun::verify_integrity(wrong, m, wrong_key).has_value()); // not protected with either key
  CHECK(stun::verify_fingerprint(wrong, m) == true);

  const auto stale = corpus("coturn_allocate_438_stale_nonce.bin");
  m = decode_ok(stale);
  CHECK(m.id == id_of("edgeprobe-a3"));
  const auto error = stun::read_error_code(get(m, stun::attr::error_code));
  REQUIRE(error);
  CHECK(error->code == 438);
  CHECK(error->reason == std::string("Stale nonce\0", 12)); // coturn sends the C string's NUL
  CHECK(text(m, stun::attr::nonce) == coturn_nonce);
  CHECK(stun::verify_fingerprint(stale, m) == true);

  const auto mismatch = corpus("coturn_allocate_437_allocation_mismatch.bin");
  m = decode_ok(mismatch);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0009, 0x8022, 0x8028});
  CHECK(stun::read_error_code(get(m, stun::attr::error_code))->code == 437);
  CHECK(stun::read_error_code(get(m, stun::attr::error_code))->reason ==
        std::string("Mismatched allocation: wrong transaction ID\0", 44));
  CHECK(stun::verify_fingerprint(mismatch, m) == true);
}

TEST_CASE("stun codec: coturn's Allocate success verifies with alice's long-term key") {
  const auto b = corpus("coturn_allocate_success.bin");
  const auto m = decode_ok(b);
  CHECK(m.method == stun::method::allocate);
  CHECK(m.klass == stun::message_class::success);
  CHECK(m.id == id_of("edgeprobe-a4"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0016, 0x0020, 0x000D, 0x8022, 0x0008, 0x8028});
  CHECK(xor_endpoint(m, stun::attr::xor_relayed_address) == "127.0.0.1:62071");
  CHECK(xor_endpoint(m, stun::attr::xor_mapped_address) == "127.0.0.1:46825");
  CHECK(stun::read_u32(get(m, stun::attr::lifetime)) == 600u);
  CHECK(stun::verify_integrity(b, m, alice_key) == true);
  CHECK(stun::verify_integrity(b, m, wrong_key) == false);
  CHECK(stun::verify_fingerprint(b, m) == true);

  auto changed = b;
  changed[51] ^= 0x01; // LIFETIME 600 becomes 601
  const auto c = decode_ok(changed);
  CHECK(stun::read_u32(get(c, stun::attr::lifetime)) == 601u);
  CHECK(stun::verify_integrity(changed, c, alice_key) == false);
  CHECK(stun::verify_fingerprint(changed, c) == false);
}

TEST_CASE("stun codec: the encoder rebuilds the authenticated Allocate coturn accepted") {
  const auto request = corpus("request_allocate_alice_accepted_by_coturn.bin");
  const auto m = decode_ok(request);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0019, 0x0006, 0x0014, 0x0015, 0x0008, 0x8028});
  CHECK(stun::verify_integrity(request, m, alice_key) == true);
  CHECK(stun::verify_fingerprint(request, m) == true);
  const auto rebuilt = stun::encoder(stun::method::allocate, stun::message_class::request, stun::magic_cookie,
                                     id_of("edgeprobe-a4"), stun::dialect::rfc)
                           .add_requested_transport_udp()
                           .add_text(stun::attr::username, "alice")
                           .add_text(stun::realm_type(stun::dialect::rfc), "edgeprobe.test")
                           .add_text(stun::nonce_type(stun::dialect::rfc), coturn_nonce)
                           .finish(std::span<const std::uint8_t>(alice_key), true);
  CHECK(rebuilt == request);
}

TEST_CASE("stun codec: coturn's Refresh success with lifetime 0") {
  const auto b = corpus("coturn_refresh_lifetime_0_success.bin");
  const auto m = decode_ok(b);
  CHECK(m.method == stun::method::refresh);
  CHECK(m.klass == stun::message_class::success);
  CHECK(m.id == id_of("edgeprobe-r1"));
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x000D, 0x8022, 0x0008, 0x8028});
  CHECK(stun::read_u32(get(m, stun::attr::lifetime)) == 0u);
  CHECK(stun::verify_integrity(b, m, alice_key) == true);
  CHECK(stun::verify_fingerprint(b, m) == true);
}

TEST_CASE("stun codec: coturn answers the MS-TURN Allocate in RFC form, which MS-TURN cannot decode") {
  const auto b = corpus("coturn_answer_to_ms_turn_allocate.bin");
  const auto m = decode_ok(b);
  CHECK(m.id == id_from_hex("f13c084b8018177247493065")); // the MS-TURN request's
  CHECK(m.klass == stun::message_class::error);
  CHECK(types_of(m) == std::vector<std::uint16_t>{0x0009, 0x0015, 0x0014, 0x8022, 0x8028});
  CHECK(stun::read_error_code(get(m, stun::attr::error_code))->code == 401);
  CHECK(text(m, stun::realm_type(stun::dialect::rfc)) == "edgeprobe.test");
  CHECK(text(m, stun::nonce_type(stun::dialect::rfc)) == "256e8b86aaa740a7");
  CHECK(stun::verify_fingerprint(b, m) == true);
  // Unpadded, REALM's two padding bytes start a bogus attribute.
  const auto e = decode_fails(b, stun::dialect::ms_turn);
  CHECK(e.offset == 78);
  CHECK(e.what == "attribute 0x0000 at 78 runs past the end (32802 bytes, 30 left)");
}

} // TEST_SUITE
