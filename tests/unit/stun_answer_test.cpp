// What the stun and turn probes read from answers captured from coturn 4.6.1 and
// written by the responder: the dialect, the mapped address (XOR or plain),
// texts as shown, FINGERPRINT and MESSAGE-INTEGRITY verdicts.
#include "probes/stun/answer.hpp"
#include "probes/stun/requests.hpp"
#include "probes/stun/responder.hpp"
#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using udp = boost::asio::ip::udp;

namespace {

std::vector<std::uint8_t> captured(const char* name) {
  const auto text = test::corpus_bytes("stun_codec", name);
  return {text.begin(), text.end()};
}

stun_answer read(const std::vector<std::uint8_t>& bytes,
                 std::optional<std::span<const std::uint8_t>> key = std::nullopt) {
  std::string why;
  auto a = read_answer(bytes, key, why);
  REQUIRE_MESSAGE(a, why);
  return *a;
}

} // namespace

TEST_SUITE("stun") {

TEST_CASE("stun answer: coturn's Binding success: XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN, a good FINGERPRINT") {
  const auto a = read(captured("coturn_binding_success.bin"));
  CHECK(a.dialect == stun::dialect::rfc);
  CHECK(a.is_success());
  CHECK(a.mapped_from_xor);
  REQUIRE(a.mapped);
  CHECK(a.mapped->address().to_string() == "127.0.0.1");
  CHECK(a.response_origin);
  CHECK(a.software == "Coturn-4.6.1 'Gorst'");
  CHECK(a.fingerprint_ok == true);
  CHECK(a.to_json()["answer"] == "Binding success response");
}

TEST_CASE("stun answer: coturn's answer to an old-style request: only MAPPED-ADDRESS, read as the mapped address") {
  const auto a = read(captured("coturn_binding_success_rfc3489_cookie.bin"));
  REQUIRE(a.mapped);
  CHECK_FALSE(a.mapped_from_xor);
  CHECK(a.mapped->address().to_string() == "127.0.0.1");
  CHECK(a.software == "Coturn-4.6.1 'Gorst'"); // NUL padding trimmed
  CHECK_FALSE(a.fingerprint_ok.has_value());
}

TEST_CASE("stun answer: coturn's challenges: 401 with REALM and NONCE, 438 with its text as shown") {
  const auto challenge = read(captured("coturn_allocate_401_unauthenticated.bin"));
  CHECK(challenge.error_code() == 401);
  CHECK(challenge.realm == "edgeprobe.test");
  CHECK_FALSE(challenge.nonce.empty());
  CHECK(challenge.summary() == "Allocate error response 401 \"Unauthorized\"");
  const auto stale = read(captured("coturn_allocate_438_stale_nonce.bin"));
  CHECK(stale.error_code() == 438);
  CHECK(stale.error->reason == "Stale nonce");
}

TEST_CASE("stun answer: coturn's allocation verifies with alice's key only") {
  const auto bytes = captured("coturn_allocate_success.bin");
  const auto key = stun::long_term_key("alice", "edgeprobe.test", "secret");
  const auto good = read(bytes, std::span<const std::uint8_t>(key));
  CHECK(good.integrity_ok == true);
  CHECK(good.relayed);
  CHECK(good.lifetime == 600u);
  CHECK(good.to_json()["message_integrity"] == "valid");
  const auto wrong = stun::long_term_key("alice", "edgeprobe.test", "Secret");
  CHECK(read(bytes, std::span<const std::uint8_t>(wrong)).integrity_ok == false);
  CHECK(read(bytes).to_json()["message_integrity"] == "not checked");
}

TEST_CASE("stun answer: the dialect is the answer's own: coturn answers MS-TURN in RFC form, the responder in MS-TURN") {
  const auto from_coturn = read(captured("coturn_answer_to_ms_turn_allocate.bin"));
  CHECK(from_coturn.dialect == stun::dialect::rfc);
  CHECK(from_coturn.realm == "edgeprobe.test");

  const auto request = captured("ms_turn_allocate_request_lync_edge.bin");
  const auto edge = stun_responder_answer(request, udp::endpoint(), udp::endpoint(), "0123");
  REQUIRE(edge);
  const auto a = read(*edge);
  CHECK(a.dialect == stun::dialect::ms_turn);
  CHECK(a.realm == stun_responder_realm); // 0x0015 in MS-TURN, not the NONCE
  CHECK(a.nonce == "0123");
  CHECK(a.ms_version == 4u);
  CHECK(a.to_json()["dialect"] == "ms-turn");
}

TEST_CASE("stun answer: bytes that are not STUN say why") {
  const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
  std::string why;
  CHECK_FALSE(read_answer(std::vector<std::uint8_t>(http.begin(), http.end()), std::nullopt, why));
  CHECK(why.find("first two bits") != std::string::npos);
}

} // TEST_SUITE
