// The stun responder's and the probes' bytes as Wireshark's STUN dissector
// reads them: the independent check on the only MS-TURN peer there is.
#include "probes/stun/requests.hpp"
#include "probes/stun/responder.hpp"
#include "support/corpus_file.hpp"
#include "support/tshark.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using udp = boost::asio::ip::udp;

namespace {

std::vector<std::uint8_t> field_script_packet() {
  const auto text = test::corpus_bytes("stun_codec", "ms_turn_allocate_request_lync_edge.bin");
  return {text.begin(), text.end()};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_SUITE("turn") {

TEST_CASE("tshark reads the responder's MS-TURN answer as the Edge's: 401 with its text, MS-TURN's REALM and NONCE") {
  const udp::endpoint from(boost::asio::ip::make_address("192.0.2.7"), 50000), local;
  const auto answer = stun_responder_answer(field_script_packet(), from, local, "0123456789abcdef");
  REQUIRE(answer);
  const auto decoded = test::tshark_decode_udp(*answer, 3478, 50000, {"stun.stunversion:MS-TURN"});
  INFO(decoded);
  CHECK(has(decoded, "Message Type: 0x0113 (Allocate Error Response)"));
  CHECK(has(decoded, "Message Transaction ID: f13c084b8018177247493065")); // the request's
  CHECK(has(decoded, "MAGIC-COOKIE"));
  CHECK(has(decoded, std::string("ERROR-CODE 401 (Unauthenticated): ") + ms_turn_challenge_text));
  CHECK(has(decoded, std::string("Realm: ") + stun_responder_realm));
  CHECK(has(decoded, "Nonce: 0123456789abcdef"));
  CHECK(has(decoded, "MS Version: MS-ICE2 with SHA256 and IPv6 (4)"));
  CHECK_FALSE(has(decoded, "Malformed"));
}

TEST_CASE("tshark reads the MS-TURN Allocate the turn probe sends: the field script's attributes") {
  const auto packet = field_script_packet();
  stun::transaction_id id;
  std::copy(packet.begin() + 8, packet.begin() + 20, id.begin());
  const auto decoded = test::tshark_decode_udp(stun::ms_allocate_request(id), 50000, 3478, {"stun.stunversion:MS-TURN"});
  INFO(decoded);
  CHECK(has(decoded, "Message Type: 0x0003 (Allocate Request)"));
  CHECK(has(decoded, "Magic Cookie: 0x72c64bc6"));
  CHECK(has(decoded, "MS Version: MS-ICE2 with SHA256 and IPv6 (4)"));
  CHECK(has(decoded, "Bandwidth: 200"));
  CHECK(has(decoded, "Unknown8006: 00000001"));
  CHECK(has(decoded, "MS-SERVICE-QUALITY"));
  CHECK_FALSE(has(decoded, "Malformed"));
}

TEST_CASE("tshark reads the responder's RFC answers: Binding success with the address, 401 with REALM") {
  const udp::endpoint from(boost::asio::ip::make_address("192.0.2.7"), 50000);
  const udp::endpoint local(boost::asio::ip::make_address("198.51.100.1"), 3478);
  const auto success = stun_responder_answer(stun::binding_request(stun::new_transaction_id()), from, local, "n0nce");
  REQUIRE(success);
  const auto binding = test::tshark_decode_udp(*success, 3478, 50000);
  INFO(binding);
  CHECK(has(binding, "Message Type: 0x0101 (Binding Success Response)"));
  CHECK(has(binding, "XOR-MAPPED-ADDRESS: 192.0.2.7:50000"));
  CHECK(has(binding, "MAPPED-ADDRESS: 192.0.2.7:50000"));
  CHECK(has(binding, "RESPONSE-ORIGIN: 198.51.100.1:3478"));
  CHECK(has(binding, "[CRC-32 Status: Good]"));

  const auto challenge = stun_responder_answer(stun::allocate_request(stun::new_transaction_id(), {}), from, local, "n0nce");
  REQUIRE(challenge);
  const auto allocate = test::tshark_decode_udp(*challenge, 3478, 50000);
  INFO(allocate);
  CHECK(has(allocate, "Message Type: 0x0113 (Allocate Error Response)"));
  CHECK(has(allocate, "ERROR-CODE 401 (Unauthenticated): Unauthorized"));
  CHECK(has(allocate, std::string("Realm: ") + stun_responder_realm));
  CHECK(has(allocate, "Nonce: n0nce"));
  CHECK(has(allocate, "[CRC-32 Status: Good]"));
}

} // TEST_SUITE
