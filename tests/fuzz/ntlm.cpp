// libFuzzer entry for the NTLM codec: any bytes must parse or fail cleanly as
// a NEGOTIATE, CHALLENGE and AUTHENTICATE message, as an AV_PAIR list, as an
// NTLMv2 response and as an "NTLM <base64>" header. Whatever parses must
// encode and parse again to the same message. For a challenge that parses,
// the client's answer must parse and verify with its password and not with
// another: the client and server halves agree on every challenge.
#include "wire/ntlm/ntlm.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

using namespace edgeprobe;

void require(bool ok) {
  if (!ok) std::abort();
}

// A failure must say what and where, and the place must be in the message
// (or its end, for a message cut short).
template <class T> void clean(const wire::decoded<T>& d, std::size_t size) {
  if (!d) require(!d.error.what.empty() && d.error.offset <= size);
}

void check_negotiate(std::span<const std::uint8_t> bytes) {
  const auto n = ntlm::parse_negotiate(bytes);
  clean(n, bytes.size());
  if (!n) return;
  const auto again = ntlm::parse_negotiate(ntlm::encode_negotiate(*n.value));
  require(again && *again.value == *n.value);
}

void check_challenge(std::span<const std::uint8_t> bytes) {
  const auto c = ntlm::parse_challenge(bytes);
  clean(c, bytes.size());
  if (!c) return;
  // Re-encoding drops bytes after MsvAvEOL and turns unpaired UTF-16
  // surrogates into U+FFFD; neither may change the parsed message.
  const auto again = ntlm::parse_challenge(ntlm::build_challenge(*c.value));
  require(again && *again.value == *c.value);

  const ntlm::credentials who{"User", "Domain", "Password"};
  ntlm::client_inputs in;
  in.client_challenge = {1, 2, 3, 4, 5, 6, 7, 8};
  in.timestamp = 0x01DA000000000000ULL;
  in.workstation = "FUZZ";
  in.exported_session_key = ntlm::key16{};
  in.offered_flags = ~std::uint32_t{0};
  const auto wire = ntlm::build_authenticate(*c.value, who, in);
  if (wire.empty()) { // only when the NT response would outgrow its 16-bit Len
    require(ntlm::encode_av_pairs(c.value->target_info).size() + 48 > 0xFFFF);
    return;
  }
  const auto answer = ntlm::parse_authenticate(wire);
  require(static_cast<bool>(answer));
  require(ntlm::verify_ntlmv2(*answer.value, *c.value, "Password"));
  require(!ntlm::verify_ntlmv2(*answer.value, *c.value, "Passw0rd"));
  // 3.1.5.1.2: a server timestamp zeroes the LM response.
  if (c.value->timestamp()) require(answer.value->lm_response == std::vector<std::uint8_t>(24, 0));
}

void check_authenticate(std::span<const std::uint8_t> bytes) {
  const auto a = ntlm::parse_authenticate(bytes);
  clean(a, bytes.size());
  if (!a) return;
  const auto again = ntlm::parse_authenticate(ntlm::encode_authenticate(*a.value));
  require(again && *again.value == *a.value);

  const auto response = ntlm::parse_ntlmv2_response(a.value->nt_response);
  clean(response, a.value->nt_response.size());
  ntlm::challenge_message sent;
  sent.server_challenge = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  // Whatever the verdict, the NT response must be a well-formed NTLMv2 one to pass.
  if (ntlm::verify_ntlmv2(*a.value, sent, "Password")) require(static_cast<bool>(response));
}

void check_header(std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (const auto decoded = ntlm::from_header_value(text)) {
    const auto again = ntlm::from_header_value(ntlm::header_value(*decoded));
    require(again && *again == *decoded);
  }
  const auto again = ntlm::from_header_value(ntlm::header_value(bytes));
  require(again && std::equal(again->begin(), again->end(), bytes.begin(), bytes.end()));
}

void check(std::span<const std::uint8_t> bytes) {
  check_negotiate(bytes);
  check_challenge(bytes);
  check_authenticate(bytes);
  clean(ntlm::parse_av_pairs(bytes), bytes.size());
  clean(ntlm::parse_ntlmv2_response(bytes), bytes.size());
  check_header(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::span(data, size));
  // A mutated MessageType stops each parser at byte 8; check the same bytes
  // once more as each type, so the field parsers see every mutation too.
  constexpr std::uint8_t ntlmssp[] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
  if (size >= 12 && std::equal(ntlmssp, ntlmssp + 8, data)) {
    std::vector<std::uint8_t> typed(data, data + size);
    for (std::uint8_t type = 1; type <= 3; ++type) {
      if (type == data[8] && data[9] == 0 && data[10] == 0 && data[11] == 0) continue;
      typed[8] = type;
      typed[9] = typed[10] = typed[11] = 0;
      check(typed);
    }
  }
  return 0;
}
