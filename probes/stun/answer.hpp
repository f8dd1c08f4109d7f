// What the stun and turn probes make of one exchange: the reply's fate (no
// answer, ICMP, another service) as a verdict, and a STUN answer's content as
// evidence — class, error code and text, REALM, NONCE, SOFTWARE, addresses,
// LIFETIME, and whether FINGERPRINT and MESSAGE-INTEGRITY verified.
#pragma once
#include "core/result.hpp"
#include "probes/stun/channel.hpp"
#include "probes/stun/codec.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>

namespace edgeprobe {

struct stun_answer {
  stun::dialect dialect = stun::dialect::rfc; // the answer's own (MAGIC-COOKIE first: ms-turn)
  stun::message message;
  std::optional<stun::error_value> error;
  std::string realm, nonce, software;
  std::optional<net::ip::udp::endpoint> mapped;          // XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS
  bool mapped_from_xor = false;
  std::optional<net::ip::udp::endpoint> relayed;         // XOR-RELAYED-ADDRESS
  std::optional<net::ip::udp::endpoint> response_origin; // RESPONSE-ORIGIN
  std::optional<std::uint32_t> lifetime;
  std::optional<std::uint32_t> ms_version;
  std::optional<bool> fingerprint_ok;                    // nullopt: none sent
  std::optional<bool> integrity_ok;                      // nullopt: none sent, or no key to check it with

  bool is_success() const { return message.klass == stun::message_class::success; }
  int error_code() const { return error ? error->code : 0; }
  // "success response", "error response 401 Unauthorized"
  std::string summary() const;
  nlohmann::json to_json() const;
};

// Decodes the answer's bytes in their own dialect. nullopt (with `why`) when
// they are not a STUN message this probe can read.
std::optional<stun_answer> read_answer(std::span<const std::uint8_t> bytes,
                                       std::optional<std::span<const std::uint8_t>> integrity_key, std::string& why);

// For a reply without a usable answer: raises turn.no_response,
// turn.port_unreachable, the ICMP's reason, or a local error on `v`, naming
// `what` ("the Allocate request") and `target`. Returns true when there is an
// answer to read.
bool judge_reply_arrival(const stun_reply& r, const std::string& what, const std::string& target, verdict& v);

// An answer from another address than the one asked: accepted, reported (warn).
void judge_reply_origin(const stun_reply& r, const std::string& target, verdict& v);

} // namespace edgeprobe
