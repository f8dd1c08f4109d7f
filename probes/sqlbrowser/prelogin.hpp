// TDS PRELOGIN ([MS-TDS] 2.2.6.5): the first packet a SQL Server client sends and
// the server's answer, which names the server's version and its encryption stance
// before any login. Pure functions from bytes to messages and back, bounds-checked,
// no I/O; decoding never trusts an offset or a length.
#pragma once
#include "wire/decoded.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::tds {

constexpr std::size_t header_size = 8;

namespace packet_type {
constexpr std::uint8_t tabular_result = 0x04, prelogin = 0x12;
}
namespace packet_status {
constexpr std::uint8_t eom = 0x01; // end of message: the last packet of this message
}

// The 8-byte TDS packet header (2.2.3.1); multi-byte fields are big-endian.
struct packet_header {
  std::uint8_t type = 0;
  std::uint8_t status = 0;
  std::uint16_t length = 0; // the whole packet, header included
  std::uint16_t spid = 0;
  std::uint8_t packet_id = 0;
  std::uint8_t window = 0;
  friend bool operator==(const packet_header&, const packet_header&) = default;
};

// For stream transports: the size of the packet that starts at `bytes` once its
// 8-byte header is there; nullopt while fewer than 8 bytes are available. Does
// not validate beyond the header's length field.
std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes);

// PL_OPTION_TOKEN values.
namespace option {
constexpr std::uint8_t version = 0x00, encryption = 0x01, instopt = 0x02, threadid = 0x03, mars = 0x04,
                       traceid = 0x05, fedauthrequired = 0x06, nonceopt = 0x07, terminator = 0xFF;
}

// B_FENCRYPTION values. client_cert is a flag on top of the others (TDS 7.4+).
namespace encrypt {
constexpr std::uint8_t off = 0x00, on = 0x01, not_sup = 0x02, req = 0x03, client_cert = 0x80;
}

// VERSION: UL_VERSION as major (1 byte), minor (1 byte), build (2 bytes,
// big-endian), then US_SUBBUILD (2 bytes, big-endian as well, as SQL Server,
// nmap and FreeTDS treat it; SQL Server sends 0 there). A server sends its product
// version (SQL Server 2019 RTM: 0F 00 07 D0 00 00 = 15.0.2000); a client sends
// its driver's version, which servers do not act on.
struct version_info {
  std::uint8_t major = 0;
  std::uint8_t minor = 0;
  std::uint16_t build = 0;
  std::uint16_t sub_build = 0;
  std::string text() const; // "15.0.2000", the form SERVERPROPERTY('ProductVersion') starts with
  friend bool operator==(const version_info&, const version_info&) = default;
};

struct prelogin_option {
  std::uint8_t token = 0;
  std::vector<std::uint8_t> data;
  friend bool operator==(const prelogin_option&, const prelogin_option&) = default;
};

// One PRELOGIN packet, either direction, as sent.
struct prelogin_packet {
  packet_header header;
  std::vector<prelogin_option> options; // in table order, without TERMINATOR

  const prelogin_option* find(std::uint8_t token) const; // nullptr when absent
};

// One whole packet: its header length equals the bytes given, EOM is set (a
// PRELOGIN never needs a second packet), the option table ends with TERMINATOR
// inside the packet, no token appears twice, and every option's data (offset
// and length big-endian, counted from the end of the header) lies after the
// table and inside the packet. Any packet type; the typed readers below check it.
// A failure names where decoding stopped (an offset into the packet, header
// included) and what was wrong there.
wire::decoded<prelogin_packet> decode_packet(std::span<const std::uint8_t> bytes);

// What a client says (packet type 0x12).
struct client_prelogin {
  version_info version{9, 0, 0, 0};   // what the spec's example and FreeTDS send
  std::uint8_t encryption = encrypt::off;
  std::string instance;               // INSTOPT up to its NUL; "" sends the NUL alone
  std::optional<std::uint32_t> thread_id{0}; // little-endian on the wire (FreeTDS sends its PID)
  std::optional<std::uint8_t> mars{0};        // 0 off, 1 on
  std::vector<prelogin_option> others;        // TRACEID, FEDAUTHREQUIRED, NONCEOPT, unknown: as sent
  friend bool operator==(const client_prelogin&, const client_prelogin&) = default;
};

// What a server answers (packet type 0x04).
struct server_prelogin {
  version_info version;
  std::uint8_t encryption = encrypt::not_sup;
  std::optional<std::uint8_t> instance_validity; // INSTOPT: 0x00 the instance asked for is this one
                                                 // (or none was asked); non-zero: it is not
  std::optional<std::uint8_t> mars;              // 0 off, 1 on
  std::optional<std::uint8_t> fed_auth_required; // FEDAUTHREQUIRED
  std::vector<prelogin_option> others; // THREADID (SQL Server sends it empty), TRACEID, NONCEOPT, unknown: as sent
  friend bool operator==(const server_prelogin&, const server_prelogin&) = default;
};

// decode_packet, then: type 0x12; VERSION first ([MS-TDS]: a server rejects a
// PRELOGIN whose first option is not VERSION) and 6 bytes; ENCRYPTION 1 byte;
// INSTOPT NUL-terminated with nothing after the NUL; THREADID 4 bytes or none;
// MARS 1 byte.
wire::decoded<client_prelogin> parse_client_prelogin(std::span<const std::uint8_t> bytes);

// decode_packet, then: type 0x04 (tabular result); VERSION present and 6 bytes;
// ENCRYPTION present and 1 byte; INSTOPT, MARS and FEDAUTHREQUIRED 1 byte when present.
wire::decoded<server_prelogin> parse_server_prelogin(std::span<const std::uint8_t> bytes);

// The client PRELOGIN edgeprobe sends: header 12 01 LEN 00 00 01 00, then VERSION,
// ENCRYPTION, INSTOPT, THREADID and MARS (those set), `others` by token, TERMINATOR;
// [MS-TDS] 4.1's example comes out byte for byte. ENCRYPTION is ENCRYPT_OFF by
// default, "I can encrypt but would rather not": a server answers that whatever
// its setting, and the answer names its stance (ENCRYPT_OFF: only the login would
// be encrypted; ENCRYPT_REQ: Force Encryption is on; ENCRYPT_NOT_SUP: it cannot
// encrypt at all). ENCRYPT_NOT_SUP from the client would let a server that
// requires encryption end the connection instead, losing the version too. No TLS
// obligation follows, since the probe closes after the answer. nullopt when the
// instance name holds a NUL, `others` holds a typed token, or the packet would
// exceed 65,535 bytes.
std::optional<std::vector<std::uint8_t>> build_client_prelogin(const client_prelogin& request);

// A server's answer as SQL Server lays it out (the responder's side): header 04 01
// LEN 00 00 01 00, options in token order (VERSION, ENCRYPTION, INSTOPT, then
// `others` and the typed ones sorted by token), TERMINATOR. nullopt when the packet
// would exceed 65,535 bytes or `others` repeats a token or holds a typed one.
std::optional<std::vector<std::uint8_t>> build_server_prelogin(const server_prelogin& answer);

// For evidence: "ENCRYPT_REQ", "ENCRYPT_ON + ENCRYPT_CLIENT_CERT", "0x40".
std::string encryption_name(std::uint8_t value);
// "VERSION", "FEDAUTHREQUIRED", "0x42".
std::string option_name(std::uint8_t token);

} // namespace edgeprobe::tds
