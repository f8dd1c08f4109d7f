// STUN/TURN wire codec (RFC 5389/8489, RFC 5766/8656) and the MS-TURN dialect of
// the Lync / Skype for Business Edge: pure functions from bytes to messages and
// back, bounds-checked, no I/O. Decoding never trusts a length field.
#pragma once
#include "wire/decoded.hpp"
#include "wire/writer.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::stun {

enum class dialect {
  rfc,     // RFC 5389/8489 + 5766/8656: padded attributes, FINGERPRINT, long-term credentials
  ms_turn, // [MS-TURN]: MAGIC-COOKIE attribute first, MS-VERSION, NONCE/REALM numbers swapped, no padding
};

constexpr std::uint32_t magic_cookie = 0x2112A442;
constexpr std::uint32_t ms_magic_cookie = 0x72C64BC6; // the MS-TURN MAGIC-COOKIE attribute's value
constexpr std::size_t header_size = 20;

namespace method {
constexpr std::uint16_t binding = 0x001, allocate = 0x003, refresh = 0x004;
}

enum class message_class { request, indication, success, error };

// Attribute numbers. Where the dialects differ, use realm_type()/nonce_type().
namespace attr {
constexpr std::uint16_t mapped_address = 0x0001, username = 0x0006, message_integrity = 0x0008,
                        error_code = 0x0009, unknown_attributes = 0x000A, lifetime = 0x000D,
                        ms_alternate_server = 0x000E, ms_magic_cookie = 0x000F, ms_bandwidth = 0x0010,
                        realm = 0x0014, nonce = 0x0015, xor_relayed_address = 0x0016,
                        requested_address_family = 0x0017, requested_transport = 0x0019,
                        xor_mapped_address = 0x0020, ms_version = 0x8008, software = 0x8022,
                        alternate_server = 0x8023, fingerprint = 0x8028, response_origin = 0x802B,
                        ms_sequence_number = 0x8050, ms_service_quality = 0x8055;
} // namespace attr

// MS-TURN swaps these two numbers against RFC 5389: NONCE is 0x0014, REALM 0x0015.
std::uint16_t realm_type(dialect d);
std::uint16_t nonce_type(dialect d);

using transaction_id = std::array<std::uint8_t, 12>;

struct attribute {
  std::uint16_t type = 0;
  std::vector<std::uint8_t> value; // without padding
  std::size_t offset = 0;          // where its 4-byte header starts in the decoded bytes (decode only)
};

struct message {
  std::uint16_t method = 0;        // 12 bits
  message_class klass = message_class::request;
  std::uint32_t cookie = magic_cookie; // bytes 4..7; MS-TURN's 16-byte transaction ID starts here
  transaction_id id{};
  std::vector<attribute> attributes; // in wire order

  const attribute* find(std::uint16_t type) const; // the first of that type, nullptr when absent
};

// Message type <-> method and class (the class bits C1 C0 are bits 8 and 4).
std::uint16_t message_type(std::uint16_t method, message_class klass);
std::uint16_t method_of(std::uint16_t type);
message_class class_of(std::uint16_t type);

// One whole message (a UDP datagram, or one frame cut from a TCP stream).
// rfc: the first two bits must be 0, the header length must be a multiple of 4
// and equal the bytes after the header, attributes are padded to 4, and a
// FINGERPRINT must be last. ms_turn: the same header, attributes unpadded.
// The cookie is not required to be magic_cookie (old servers and MS-TURN);
// callers decide what they accept. A failure names where decoding stopped and
// why, for evidence: "attribute 0x0020 at 20 runs past the end".
wire::decoded<message> decode(std::span<const std::uint8_t> bytes, dialect d);

// For stream transports (TCP, TLS): the size of the message that starts at
// `bytes` once its 20-byte header is there; nullopt while fewer than 20 bytes
// are available. Does not validate beyond the header's length field.
std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes);

// Whether the bytes can start a STUN message at all (first two bits zero; a
// plausible length): to tell "another protocol answered" from "a STUN answer we
// cannot decode".
bool looks_like_stun(std::span<const std::uint8_t> bytes);

// Typed attribute values. Each returns nullopt when the attribute's value is
// malformed (wrong length, unknown family, ...).
std::optional<boost::asio::ip::udp::endpoint> read_address(const attribute& a);  // MAPPED-ADDRESS, RESPONSE-ORIGIN, ALTERNATE-SERVER
std::optional<boost::asio::ip::udp::endpoint> read_xor_address(const attribute& a, std::uint32_t cookie,
                                                               const transaction_id& id); // XOR-*-ADDRESS
struct error_value {
  int code = 0;       // 300..699 (class * 100 + number)
  std::string reason; // UTF-8 as sent
};
std::optional<error_value> read_error_code(const attribute& a);
std::optional<std::uint32_t> read_u32(const attribute& a); // LIFETIME, MS-VERSION, BANDWIDTH, ...
std::string read_text(const attribute& a);                  // REALM, NONCE, SOFTWARE, USERNAME (bytes as-is)

// Integrity. `bytes` is the whole message as received; `m` its decode.
// MESSAGE-INTEGRITY: HMAC-SHA1 with `key` over the message up to the attribute,
// with the header length counting up to and including it. FINGERPRINT: CRC-32
// of the message up to it, XOR 0x5354554E, the length counting it.
// nullopt: the message carries no such attribute.
std::optional<bool> verify_integrity(std::span<const std::uint8_t> bytes, const message& m,
                                     std::span<const std::uint8_t> key);
std::optional<bool> verify_fingerprint(std::span<const std::uint8_t> bytes, const message& m);

// Long-term credential key: MD5("username:realm:password") (RFC 5389 §15.4).
std::array<std::uint8_t, 16> long_term_key(std::string_view username, std::string_view realm,
                                           std::string_view password);

// CRC-32 (ISO-HDLC, as zlib and RFC 1952) of the bytes.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

// Builds a message attribute by attribute, in the dialect's layout (ms_turn:
// MAGIC-COOKIE is added first automatically, attributes unpadded).
class encoder {
public:
  encoder(std::uint16_t method, message_class klass, std::uint32_t cookie, const transaction_id& id, dialect d);

  encoder& add(std::uint16_t type, std::span<const std::uint8_t> value);
  encoder& add_text(std::uint16_t type, std::string_view text);
  encoder& add_u32(std::uint16_t type, std::uint32_t value);
  encoder& add_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e);     // MAPPED-ADDRESS form
  encoder& add_xor_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e); // XOR form, with this message's cookie and id
  encoder& add_error_code(int code, std::string_view reason);
  encoder& add_requested_transport_udp(); // REQUESTED-TRANSPORT 17 (value 11 00 00 00)

  // The finished bytes: MESSAGE-INTEGRITY with `integrity_key` when given, then
  // FINGERPRINT when `fingerprint`, each computed with the header length
  // counting it.
  std::vector<std::uint8_t> finish(std::optional<std::span<const std::uint8_t>> integrity_key = std::nullopt,
                                   bool fingerprint = false) const;

private:
  std::uint16_t type_;
  std::uint32_t cookie_;
  transaction_id id_;
  dialect dialect_;
  wire::writer body_; // attributes so far
};

// Human names for evidence: "Allocate", "Binding"; "success response", ...;
// attribute names ("XOR-MAPPED-ADDRESS"), dialect-aware for 0x0014/0x0015.
std::string method_name(std::uint16_t method);
std::string class_name(message_class klass);
std::string attribute_name(std::uint16_t type, dialect d);

} // namespace edgeprobe::stun
