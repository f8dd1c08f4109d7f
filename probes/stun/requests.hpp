// The requests the stun and turn probes send, as pure functions of their
// inputs (the transaction ID included), so their bytes are unit-tested
// against RFC and MS-TURN layouts.
#pragma once
#include "probes/stun/codec.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::stun {

// 12 random bytes (OpenSSL's RAND_bytes).
transaction_id new_transaction_id();

// Binding request with SOFTWARE and FINGERPRINT.
std::vector<std::uint8_t> binding_request(const transaction_id& id);

struct long_term_credentials {
  std::string username, realm, nonce;
  std::array<std::uint8_t, 16> key{}; // long_term_key(username, realm, password)
};

struct allocate_options {
  std::optional<std::uint32_t> lifetime;  // LIFETIME to ask for
  std::optional<int> requested_family;    // REQUESTED-ADDRESS-FAMILY: 1 IPv4, 2 IPv6
  std::optional<long_term_credentials> credentials; // unset: the first, unauthenticated Allocate
};

// RFC 5766 Allocate for a UDP relay: REQUESTED-TRANSPORT, the options, then
// USERNAME, REALM, NONCE and MESSAGE-INTEGRITY with credentials, and FINGERPRINT.
std::vector<std::uint8_t> allocate_request(const transaction_id& id, const allocate_options& options);

// Refresh (RFC 5766 §7): LIFETIME `lifetime` (0 releases), with credentials.
std::vector<std::uint8_t> refresh_request(const transaction_id& id, std::uint32_t lifetime,
                                          const long_term_credentials& credentials);

// The MS-TURN Allocate a Lync/Skype client (and the field script) sends to the
// Edge's A/V relay: a 16-byte transaction ID starting with the RFC cookie, then
// MAGIC-COOKIE, MS-VERSION 4, USERNAME when given (an opaque token the client got
// from the front end), BANDWIDTH 200, 0x8006 = 1 and MS-SERVICE-QUALITY (audio,
// best effort); no MESSAGE-INTEGRITY, so the Edge answers with its challenge.
std::vector<std::uint8_t> ms_allocate_request(const transaction_id& id,
                                              std::optional<std::span<const std::uint8_t>> username = std::nullopt);

} // namespace edgeprobe::stun
