// The requests the stun and turn probes send, and the responder's answers, as
// bytes: the MS-TURN Allocate against the field script's packet, the RFC
// requests decoded and verified with the codec.
#include "probes/stun/requests.hpp"
#include "probes/stun/responder.hpp"
#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace edgeprobe;
using namespace edgeprobe::stun;
using udp = boost::asio::ip::udp;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

const std::vector<std::uint8_t>& field_script_packet() {
  static const auto packet = bytes_of(test::corpus_bytes("stun_codec", "ms_turn_allocate_request_lync_edge.bin"));
  return packet;
}

transaction_id id_of(std::span<const std::uint8_t> packet) {
  transaction_id id;
  std::copy(packet.begin() + 8, packet.begin() + 20, id.begin());
  return id;
}

message decoded(std::span<const std::uint8_t> bytes, dialect d = dialect::rfc) {
  auto r = decode(bytes, d);
  REQUIRE_MESSAGE(r.value, r.error.what);
  return *r.value;
}

std::vector<std::uint16_t> types_of(const message& m) {
  std::vector<std::uint16_t> out;
  for (const auto& a : m.attributes) out.push_back(a.type);
  return out;
}

} // namespace

TEST_SUITE("stun") {

TEST_CASE("stun requests: the MS-TURN Allocate is the field script's 120 bytes, byte for byte") {
  const auto& packet = field_script_packet();
  REQUIRE(packet.size() == 120);
  const auto m = decoded(packet, dialect::ms_turn);
  const auto* username = m.find(attr::username);
  REQUIRE(username);
  CHECK(ms_allocate_request(id_of(packet), std::span<const std::uint8_t>(username->value)) == packet);
  // Without a client's token: the same layout, minus USERNAME.
  const auto bare = ms_allocate_request(id_of(packet));
  CHECK(bare.size() == 120 - 60);
  CHECK(types_of(decoded(bare, dialect::ms_turn)) ==
        std::vector<std::uint16_t>{attr::ms_magic_cookie, attr::ms_version, attr::ms_bandwidth, 0x8006,
                                   attr::ms_service_quality});
  CHECK(std::equal(bare.begin() + 4, bare.begin() + 20, packet.begin() + 4)); // the 16-byte ID starts with the cookie
}

TEST_CASE("stun requests: Binding carries SOFTWARE and a valid FINGERPRINT") {
  const auto id = new_transaction_id();
  const auto bytes = binding_request(id);
  const auto m = decoded(bytes);
  CHECK(m.method == method::binding);
  CHECK(m.klass == message_class::request);
  CHECK(m.id == id);
  CHECK(types_of(m) == std::vector<std::uint16_t>{attr::software, attr::fingerprint});
  CHECK(verify_fingerprint(bytes, m) == true);
  CHECK(new_transaction_id() != id);
}

TEST_CASE("stun requests: Allocate without and with long-term credentials") {
  const auto id = new_transaction_id();
  const auto first = allocate_request(id, {600, 1, std::nullopt});
  const auto m = decoded(first);
  CHECK(m.method == method::allocate);
  CHECK(types_of(m) == std::vector<std::uint16_t>{attr::requested_transport, attr::lifetime,
                                                  attr::requested_address_family, attr::software, attr::fingerprint});
  CHECK(m.find(attr::requested_transport)->value == std::vector<std::uint8_t>{17, 0, 0, 0});
  CHECK(read_u32(*m.find(attr::lifetime)) == 600u);

  long_term_credentials c{"alice", "edgeprobe.test", "abcdef0123", long_term_key("alice", "edgeprobe.test", "secret")};
  const auto second = allocate_request(id, {std::nullopt, std::nullopt, c});
  const auto signed_message = decoded(second);
  CHECK(read_text(*signed_message.find(attr::username)) == "alice");
  CHECK(read_text(*signed_message.find(attr::realm)) == "edgeprobe.test");
  CHECK(read_text(*signed_message.find(attr::nonce)) == "abcdef0123");
  CHECK(verify_integrity(second, signed_message, c.key) == true);
  const auto wrong = long_term_key("alice", "edgeprobe.test", "Secret");
  CHECK(verify_integrity(second, signed_message, wrong) == false);
  CHECK(verify_fingerprint(second, signed_message) == true);

  const auto release = refresh_request(id, 0, c);
  const auto r = decoded(release);
  CHECK(r.method == method::refresh);
  CHECK(read_u32(*r.find(attr::lifetime)) == 0u);
  CHECK(verify_integrity(release, r, c.key) == true);
}

TEST_CASE("stun responder: Binding answered with the address seen, XOR and plain, and where it answered from") {
  const udp::endpoint from(boost::asio::ip::make_address("192.0.2.7"), 40001);
  const udp::endpoint local(boost::asio::ip::make_address("198.51.100.1"), 3478);
  const auto id = new_transaction_id();
  const auto answer = stun_responder_answer(binding_request(id), from, local, "n0nce");
  REQUIRE(answer);
  const auto m = decoded(*answer);
  CHECK(m.klass == message_class::success);
  CHECK(m.id == id);
  CHECK(read_xor_address(*m.find(attr::xor_mapped_address), m.cookie, m.id) == from);
  CHECK(read_address(*m.find(attr::mapped_address)) == from);
  CHECK(read_address(*m.find(attr::response_origin)) == local);
  CHECK(verify_fingerprint(*answer, m) == true);
}

TEST_CASE("stun responder: an RFC Allocate is challenged, the field script's MS-TURN Allocate gets the Edge's answer") {
  const udp::endpoint from(boost::asio::ip::make_address("192.0.2.7"), 40001), local;
  const auto rfc = stun_responder_answer(allocate_request(new_transaction_id(), {}), from, local, "n0nce");
  REQUIRE(rfc);
  const auto challenge = decoded(*rfc);
  CHECK(challenge.klass == message_class::error);
  CHECK(read_error_code(*challenge.find(attr::error_code))->code == 401);
  CHECK(read_text(*challenge.find(attr::realm)) == stun_responder_realm);
  CHECK(read_text(*challenge.find(attr::nonce)) == "n0nce");

  const auto& packet = field_script_packet();
  const auto ms = stun_responder_answer(packet, from, local, "n0nce");
  REQUIRE(ms);
  CHECK(std::equal(ms->begin() + 4, ms->begin() + 20, packet.begin() + 4)); // the same 16-byte transaction ID
  const auto edge = decoded(*ms, dialect::ms_turn);
  CHECK(edge.method == method::allocate);
  CHECK(edge.klass == message_class::error);
  CHECK(edge.attributes.front().type == attr::ms_magic_cookie);
  const auto error = read_error_code(*edge.find(attr::error_code));
  CHECK(error->code == 401);
  CHECK(error->reason == ms_turn_challenge_text);
  CHECK(read_text(*edge.find(realm_type(dialect::ms_turn))) == stun_responder_realm); // 0x0015 in MS-TURN
  CHECK(read_text(*edge.find(nonce_type(dialect::ms_turn))) == "n0nce");
}

TEST_CASE("stun responder: silent for what is not a STUN request") {
  const udp::endpoint from, local;
  CHECK_FALSE(stun_responder_answer(bytes_of("GET / HTTP/1.1\r\n\r\n"), from, local, "n"));
  CHECK_FALSE(stun_responder_answer({}, from, local, "n"));
  auto response = binding_request(new_transaction_id());
  response[0] = 0x01; // 0x0101: a success response, not a request
  CHECK_FALSE(stun_responder_answer(response, from, local, "n"));
}

} // TEST_SUITE
