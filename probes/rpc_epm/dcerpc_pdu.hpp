// DCE/RPC connection-oriented framing (Open Group C706 chapter 12, with the
// [MS-RPCE] extensions a Windows or Samba endpoint mapper uses): UUIDs and
// syntax identifiers, the PDU header, the PDU bodies, fragments and their
// reassembly, and the names evidence prints. Part of the codec dcerpc.hpp
// gathers; see there for byte order.
#pragma once
#include "wire/decoded.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace edgeprobe::dcerpc {

// ---------------------------------------------------------------- UUIDs

// A UUID in text order: bytes[0..3] are the first group of the text form, and
// so on. The wire form (to_wire/uuid_from_wire) swaps the first three fields
// to little-endian, as NDR with drep 0x10 marshals a GUID.
struct uuid {
  std::array<std::uint8_t, 16> bytes{};
  bool is_nil() const;
  auto operator<=>(const uuid&) const = default;
};

// "e1af8308-5d1f-11c9-91a4-08002b14a0fa": 36 characters, hex digits of either
// case, hyphens at 8, 13, 18 and 23; one pair of surrounding braces is allowed
// (the registry form). nullopt for anything else.
constexpr std::optional<uuid> parse_uuid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  uuid out;
  std::size_t at = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int pair = 0;
    for (int k = 0; k < 2; ++k, ++i) {
      const char c = text[i];
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) return std::nullopt;
      pair = pair * 16 + v;
    }
    out.bytes[at++] = static_cast<std::uint8_t>(pair);
  }
  return out;
}

std::string to_string(const uuid& u); // lower case, no braces
std::array<std::uint8_t, 16> to_wire(const uuid& u);
uuid uuid_from_wire(std::span<const std::uint8_t, 16> wire);

// An interface or transfer syntax: UUID plus version (major.minor).
struct syntax_id {
  uuid id;
  std::uint16_t major = 0;
  std::uint16_t minor = 0;
  auto operator<=>(const syntax_id&) const = default;
};
std::string to_string(const syntax_id& s); // "e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0"

// The endpoint mapper interface and the NDR transfer syntax. NDR is v2: C706
// appendix I registers it as "version 1.1 data representation", but every
// implementation binds it with major version 2 (and rejects anything else).
inline constexpr syntax_id epm_interface{*parse_uuid("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0};
inline constexpr syntax_id ndr_syntax{*parse_uuid("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0};

// ---------------------------------------------------------------- PDU header

constexpr std::size_t header_size = 16;
constexpr std::uint16_t default_max_frag = 4280; // what Windows clients offer; Samba echoes it

namespace ptype {
constexpr std::uint8_t request = 0, response = 2, fault = 3, bind = 11, bind_ack = 12, bind_nak = 13,
                       alter_context = 14, alter_context_resp = 15, auth3 = 16, shutdown = 17, co_cancel = 18,
                       orphaned = 19;
}

// pfc_flags. In a bind, 0x04 is [MS-RPCE]'s PFC_SUPPORT_HEADER_SIGN rather
// than pending_cancel.
namespace pfc {
constexpr std::uint8_t first_frag = 0x01, last_frag = 0x02, pending_cancel = 0x04, conc_mpx = 0x10,
                       did_not_execute = 0x20, maybe = 0x40, object_uuid = 0x80;
}

struct header {
  std::uint8_t rpc_vers = 5;
  std::uint8_t rpc_vers_minor = 0;
  std::uint8_t type = 0; // ptype
  std::uint8_t flags = pfc::first_frag | pfc::last_frag;
  std::array<std::uint8_t, 4> drep{0x10, 0, 0, 0};
  std::uint16_t frag_length = 0;
  std::uint16_t auth_length = 0;
  std::uint32_t call_id = 0;

  bool little_endian() const { return (drep[0] & 0xF0) == 0x10; }
  bool first() const { return flags & pfc::first_frag; }
  bool last() const { return flags & pfc::last_frag; }
};

// The 16 header bytes as given (integers in the byte order drep names).
std::array<std::uint8_t, header_size> encode_header(const header& h);

// Checks rpc_vers 5 (minor 0 or 1), frag_length >= 16 and that an auth
// verifier (auth_length + its 8-byte sec_trailer) fits in the fragment.
// Needs only the first 16 bytes.
wire::decoded<header> decode_header(std::span<const std::uint8_t> bytes);

// For reading from a stream: the size of the PDU that starts at `bytes` once
// its 16-byte header is there; nullopt while fewer than 16 bytes are
// available. Never less than 16, so a reader always makes progress: a lying
// frag_length is reported by decode_pdu on the bytes framed.
std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes);

// ---------------------------------------------------------------- PDU bodies
// Each decoded PDU keeps its header. Encoders take call_id and flags from
// `head`, compute frag_length, write auth_length 0 and drep 10 00 00 00; they
// return nullopt when the PDU would not fit its 16-bit frag_length (or an
// 8-bit count). Auth verifiers are not produced; on decoding, a verifier and
// the padding its sec_trailer declares are cut off the stub.

struct presentation_context {
  std::uint16_t id = 0;
  syntax_id abstract_syntax;
  std::vector<syntax_id> transfer_syntaxes;
};

// bind and alter_context (same layout; the encoder writes alter_context when
// head.type says so, bind otherwise).
struct bind_pdu {
  header head;
  std::uint16_t max_xmit_frag = default_max_frag;
  std::uint16_t max_recv_frag = default_max_frag;
  std::uint32_t assoc_group = 0;
  std::vector<presentation_context> contexts;
};

namespace bind_result {
constexpr std::uint16_t acceptance = 0, user_rejection = 1, provider_rejection = 2,
                        negotiate_ack = 3; // [MS-RPCE] bind time feature negotiation
}
// Why a presentation context was rejected (result 1 or 2).
namespace provider_reason {
constexpr std::uint16_t not_specified = 0, abstract_syntax_not_supported = 1, transfer_syntaxes_not_supported = 2,
                        local_limit_exceeded = 3;
}

struct context_result {
  std::uint16_t result = bind_result::acceptance;
  std::uint16_t reason = 0;
  syntax_id transfer_syntax; // the accepted one; zeros when rejected
};

// bind_ack and alter_context_resp (same layout, as for bind_pdu).
struct bind_ack_pdu {
  header head;
  std::uint16_t max_xmit_frag = default_max_frag;
  std::uint16_t max_recv_frag = default_max_frag;
  std::uint32_t assoc_group = 0;
  std::string secondary_address; // the port the server speaks on ("135"); without the wire's trailing NUL
  std::vector<context_result> results;
};

// Why a whole association was refused.
namespace reject_reason {
constexpr std::uint16_t not_specified = 0, temporary_congestion = 1, local_limit_exceeded = 2, called_paddr_unknown = 3,
                        protocol_version_not_supported = 4, default_context_not_supported = 5,
                        user_data_not_readable = 6, no_psap_available = 7;
constexpr std::uint16_t authentication_type_not_recognized = 8, invalid_checksum = 9; // [MS-RPCE]
} // namespace reject_reason

struct version {
  std::uint8_t major = 5;
  std::uint8_t minor = 0;
  auto operator<=>(const version&) const = default;
};

struct bind_nak_pdu {
  header head;
  std::uint16_t reject_reason = reject_reason::not_specified;
  std::vector<version> versions; // protocol versions the server supports
};

struct request_pdu {
  header head;
  std::uint32_t alloc_hint = 0; // the encoder writes the stub size
  std::uint16_t context_id = 0;
  std::uint16_t opnum = 0;
  std::optional<uuid> object; // present with PFC_OBJECT_UUID (the encoder sets the flag)
  std::vector<std::uint8_t> stub;
};

struct response_pdu {
  header head;
  std::uint32_t alloc_hint = 0; // the encoder writes the stub size
  std::uint16_t context_id = 0;
  std::uint8_t cancel_count = 0;
  std::vector<std::uint8_t> stub;
};

struct fault_pdu {
  header head;
  std::uint32_t alloc_hint = 0;
  std::uint16_t context_id = 0;
  std::uint8_t cancel_count = 0;
  std::uint32_t status = 0;       // see status_name()
  std::vector<std::uint8_t> stub; // [MS-RPCE] extended error information, usually empty
};

// Any other PDU type (auth3, shutdown, co_cancel, orphaned, ...): the body
// kept raw, auth verifier included (so this one encodes head.auth_length).
struct other_pdu {
  header head;
  std::vector<std::uint8_t> body;
};

using pdu = std::variant<bind_pdu, bind_ack_pdu, bind_nak_pdu, request_pdu, response_pdu, fault_pdu, other_pdu>;

// Exactly one PDU: `bytes` must be frag_length long (use framed_size to cut it
// from a stream). The body fields must fit the fragment; counts are checked
// against the bytes present.
wire::decoded<pdu> decode_pdu(std::span<const std::uint8_t> bytes);
const header& head_of(const pdu& p);

std::optional<std::vector<std::uint8_t>> encode(const bind_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const bind_ack_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const bind_nak_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const request_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const response_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const fault_pdu& p);
std::optional<std::vector<std::uint8_t>> encode(const other_pdu& p);

// The probe's bind: one presentation context (id 0) for the endpoint mapper
// v3.0 over NDR v2, max_xmit/max_recv 4280, assoc_group 0. 72 bytes.
std::vector<std::uint8_t> build_epm_bind(std::uint32_t call_id);

// A request or response whose stub is larger than one fragment may carry,
// split into fragments of at most max_frag bytes each (the peer's
// max_recv_frag; raised to what carries 16 stub bytes) as Samba cuts them:
// every stub but the last a multiple of 16 bytes, alloc_hint the stub bytes
// remaining from that fragment on, PFC_FIRST_FRAG on the first,
// PFC_LAST_FRAG on the last.
std::vector<std::vector<std::uint8_t>> encode_fragments(const request_pdu& p, std::size_t max_frag);
std::vector<std::vector<std::uint8_t>> encode_fragments(const response_pdu& p, std::size_t max_frag);

// Joins the stubs of one call's fragments, in arrival order. The first must
// carry PFC_FIRST_FRAG, the last PFC_LAST_FRAG and none other either flag;
// all must share call_id and context_id (requests also opnum). The joined stub
// may not exceed max_stub bytes. error.offset is the fragment's position in
// the joined stub.
constexpr std::size_t default_max_stub = 4 * 1024 * 1024;
wire::decoded<std::vector<std::uint8_t>> reassemble(std::span<const response_pdu> fragments,
                                                    std::size_t max_stub = default_max_stub);
wire::decoded<std::vector<std::uint8_t>> reassemble(std::span<const request_pdu> fragments,
                                                    std::size_t max_stub = default_max_stub);

// ---------------------------------------------------------------- status codes

namespace status {
constexpr std::uint32_t access_denied = 0x00000005;
constexpr std::uint32_t bad_stub_data = 0x000006F7; // RPC_X_BAD_STUB_DATA
constexpr std::uint32_t comm_failure = 0x1C010001, op_rng_error = 0x1C010002, unk_if = 0x1C010003,
                        proto_error = 0x1C01000B, server_too_busy = 0x1C010014, fault_unspec = 0x1C000012,
                        context_mismatch = 0x1C00001A, invalid_pres_context_id = 0x1C00001C,
                        unsupported_authn_level = 0x1C00001D;
constexpr std::uint32_t ept_not_registered = 0x16C9A0D6; // EPT_S_NOT_REGISTERED: ept_map/ept_lookup status
} // namespace status

// "success" (0), "op_rng_error", "unk_if", "bad_stub_data", "access_denied",
// "ept_not_registered", ...; "0x1c0100ff" for codes this table lacks.
// Covers fault PDU statuses and the endpoint mapper's own status values.
std::string status_name(std::uint32_t code);
std::string ptype_name(std::uint8_t type); // "bind_ack", or "ptype 42"
// bind_ack per-context result: "acceptance", "user_rejection", "provider_rejection (abstract_syntax_not_supported)"
std::string context_result_text(const context_result& r);
std::string reject_reason_name(std::uint16_t reason); // bind_nak: "protocol_version_not_supported"

// Bytes as a peer sent them, safe for a report line: printable ASCII is kept,
// anything else becomes \xNN.
std::string printable(std::string_view raw);

} // namespace edgeprobe::dcerpc
