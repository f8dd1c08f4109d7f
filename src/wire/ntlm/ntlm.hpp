// NTLM authentication ([MS-NLMP]) as HTTP uses it: the NEGOTIATE, CHALLENGE and
// AUTHENTICATE messages as bytes and back, the NTLMv2 crypto for the client
// (the http probe's `auth: ntlm`) and for the server (the Exchange-EWS
// responder verifying a client), and the "NTLM <base64>" header values.
// Pure functions, no I/O. Decoders are bounds-checked, never throw and never
// trust a length or offset field; a failure says what was wrong and where
// (error.offset: where in the message the problem is).
//
// The code is in three files: messages.cpp (the messages and the header
// values), crypto.cpp (NTOWFv2, the responses, session keys; OpenSSL) and
// utf16.cpp (UTF-16LE and the user name's uppercasing).
//
// What is left out, on purpose: NTLMv1 (a server that offers only v1 is not
// answered, and verify_ntlmv2 never accepts a v1 response), the MIC and
// channel bindings (optional in [MS-NLMP] 3.1.5.1.2; curl sends neither, and
// IIS accepts their absence unless Extended Protection is required), signing
// and sealing (HTTP authenticates the connection, it does not wrap messages).
#pragma once
#include "wire/decoded.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::ntlm {

using bytes = std::vector<std::uint8_t>;
using challenge_bytes = std::array<std::uint8_t, 8>; // ServerChallenge, ClientChallenge
using key16 = std::array<std::uint8_t, 16>;          // NTOWFv2, NTProofStr, session keys, MIC

// NegotiateFlags ([MS-NLMP] 2.2.2.5), by their spec names without "NTLMSSP_".
namespace flag {
constexpr std::uint32_t negotiate_unicode = 0x00000001;
constexpr std::uint32_t negotiate_oem = 0x00000002;
constexpr std::uint32_t request_target = 0x00000004;
constexpr std::uint32_t negotiate_sign = 0x00000010;
constexpr std::uint32_t negotiate_seal = 0x00000020;
constexpr std::uint32_t negotiate_datagram = 0x00000040;
constexpr std::uint32_t negotiate_lm_key = 0x00000080;
constexpr std::uint32_t negotiate_ntlm = 0x00000200;
constexpr std::uint32_t anonymous = 0x00000800;
constexpr std::uint32_t negotiate_oem_domain_supplied = 0x00001000;
constexpr std::uint32_t negotiate_oem_workstation_supplied = 0x00002000;
constexpr std::uint32_t negotiate_always_sign = 0x00008000;
constexpr std::uint32_t target_type_domain = 0x00010000;
constexpr std::uint32_t target_type_server = 0x00020000;
constexpr std::uint32_t negotiate_extended_sessionsecurity = 0x00080000;
constexpr std::uint32_t negotiate_identify = 0x00100000;
constexpr std::uint32_t request_non_nt_session_key = 0x00400000;
constexpr std::uint32_t negotiate_target_info = 0x00800000;
constexpr std::uint32_t negotiate_version = 0x02000000;
constexpr std::uint32_t negotiate_128 = 0x20000000;
constexpr std::uint32_t negotiate_key_exch = 0x40000000;
constexpr std::uint32_t negotiate_56 = 0x80000000;
} // namespace flag

// What the http probe offers in its NEGOTIATE_MESSAGE: Unicode (OEM as the
// fallback), NTLM, extended session security, 128/56, and the target name.
// Not KEY_EXCH: HTTP uses no session key, so there is nothing to exchange
// (build_authenticate still supports it when asked). Not VERSION: the field
// is for debugging only ([MS-NLMP] 2.2.2.10).
constexpr std::uint32_t default_client_flags =
    flag::negotiate_unicode | flag::negotiate_oem | flag::request_target | flag::negotiate_ntlm |
    flag::negotiate_always_sign | flag::negotiate_extended_sessionsecurity | flag::negotiate_128 |
    flag::negotiate_56;

// "UNICODE|NTLM|..." for evidence, in bit order; unknown bits as 0x........
std::string flag_names(std::uint32_t flags);

// AvId values of an AV_PAIR ([MS-NLMP] 2.2.2.1).
namespace av {
constexpr std::uint16_t eol = 0, nb_computer_name = 1, nb_domain_name = 2, dns_computer_name = 3,
                        dns_domain_name = 4, dns_tree_name = 5, flags = 6, timestamp = 7, single_host = 8,
                        target_name = 9, channel_bindings = 10;
}

// The VERSION structure ([MS-NLMP] 2.2.2.10): the OS version, for debugging.
struct version {
  std::uint8_t major = 0, minor = 0;
  std::uint16_t build = 0;
  std::uint8_t ntlm_revision = 15; // NTLMSSP_REVISION_W2K3
  friend bool operator==(const version&, const version&) = default;
};

// ---- NEGOTIATE_MESSAGE ([MS-NLMP] 2.2.1.1) -------------------------------

// Domain and workstation are OEM text, sent only with their *_SUPPLIED flags;
// os_version is set when the header has room for the VERSION field.
struct negotiate_message {
  std::uint32_t flags = 0;
  std::string domain;      // OEM bytes as sent
  std::string workstation; // OEM bytes as sent
  std::optional<version> os_version;
  friend bool operator==(const negotiate_message&, const negotiate_message&) = default;
};

std::vector<std::uint8_t> build_negotiate(std::uint32_t flags = default_client_flags);
// Any negotiate_message: a non-empty domain or workstation adds its *_SUPPLIED flag.
// (All encoders cut a field over 65,535 bytes there: its Len is 16 bits.)
std::vector<std::uint8_t> encode_negotiate(const negotiate_message& message);
wire::decoded<negotiate_message> parse_negotiate(std::span<const std::uint8_t> message);

// ---- CHALLENGE_MESSAGE ([MS-NLMP] 2.2.1.2) -------------------------------

struct av_pair {
  std::uint16_t id = 0;
  std::vector<std::uint8_t> value;
  friend bool operator==(const av_pair&, const av_pair&) = default;
};
av_pair text_pair(std::uint16_t id, std::string_view utf8);   // value in UTF-16LE
av_pair timestamp_pair(std::uint64_t filetime);               // MsvAvTimestamp

// The AV_PAIR list as sent: the pairs, then MsvAvEOL ([MS-NLMP] 2.2.2.1).
// An empty list is encoded as nothing at all (no TargetInfo).
std::vector<std::uint8_t> encode_av_pairs(std::span<const av_pair> pairs);
// Pairs up to MsvAvEOL (excluded; bytes after it are ignored). Offsets in
// errors are relative to `list`.
wire::decoded<std::vector<av_pair>> parse_av_pairs(std::span<const std::uint8_t> list);

struct challenge_message {
  std::uint32_t flags = 0;
  challenge_bytes server_challenge{};
  std::string target_name;          // UTF-16LE decoded to UTF-8 with UNICODE, else OEM bytes as sent
  std::vector<av_pair> target_info; // without the MsvAvEOL that ends it on the wire
  std::optional<version> os_version;
  friend bool operator==(const challenge_message&, const challenge_message&) = default;

  // The first pair with this id, its UTF-16LE value as UTF-8 (names: 1..5, 9).
  std::optional<std::string> av_text(std::uint16_t id) const;
  std::optional<std::string> nb_computer_name() const { return av_text(av::nb_computer_name); }
  std::optional<std::string> nb_domain_name() const { return av_text(av::nb_domain_name); }
  std::optional<std::string> dns_computer_name() const { return av_text(av::dns_computer_name); }
  std::optional<std::string> dns_domain_name() const { return av_text(av::dns_domain_name); }
  // MsvAvTimestamp (a FILETIME), when present with its 8 bytes.
  std::optional<std::uint64_t> timestamp() const;
};

// The flags a server answers a client's NEGOTIATE flags with: Unicode when
// asked (else OEM), NTLM, TARGET_INFO (NTLMv2 needs it), TARGET_TYPE_SERVER,
// and what the client asked of REQUEST_TARGET, ALWAYS_SIGN, extended session
// security, 128 and 56 ([MS-NLMP] 3.2.5.1.1). Not KEY_EXCH, SIGN or SEAL:
// an HTTP server has no use for a session key.
std::uint32_t answer_flags(std::uint32_t client_flags);

std::vector<std::uint8_t> build_challenge(const challenge_message& message);
wire::decoded<challenge_message> parse_challenge(std::span<const std::uint8_t> message);

// ---- AUTHENTICATE_MESSAGE ([MS-NLMP] 2.2.1.3) ----------------------------

struct credentials {
  std::string user, domain, password; // UTF-8
};

struct client_inputs {
  challenge_bytes client_challenge{}; // random, 8 bytes
  std::uint64_t timestamp = 0;        // FILETIME now; the server's MsvAvTimestamp wins when it sent one
  std::string workstation;            // UTF-8; may be empty
  // With KEY_EXCH offered and answered: the session key to send, encrypted
  // (RC4 under the key exchange key). Without one, KEY_EXCH is dropped.
  std::optional<key16> exported_session_key;
  std::uint32_t offered_flags = default_client_flags; // what the NEGOTIATE_MESSAGE offered
};

struct authenticate_message {
  std::uint32_t flags = 0;
  std::vector<std::uint8_t> lm_response, nt_response, encrypted_random_session_key;
  std::string domain, user, workstation; // UTF-8 with UNICODE, else OEM bytes as sent
  std::optional<version> os_version;     // when the header has room for it (payload at 72 or later)
  std::optional<key16> mic;              // when the header has room for it (payload at 88 or later)
  friend bool operator==(const authenticate_message&, const authenticate_message&) = default;
};

// The NTLMv2 answer to `challenge` ([MS-NLMP] 3.1.5.1.2): NegotiateFlags are
// offered & challenged (KEY_EXCH only with a session key), the NT response is
// NTLMv2 over the server's target info, the LM response is LMv2, or Z(24)
// when the target info has an MsvAvTimestamp. No MIC, no Version. Empty when
// the target info is too large for the NT response (over 65,487 bytes: its
// Len is 16 bits).
std::vector<std::uint8_t> build_authenticate(const challenge_message& challenge, const credentials& who,
                                             const client_inputs& inputs);
// Lays the fields out in the order of [MS-NLMP] 4.2.4.3: domain, user,
// workstation, LM, NT, session key; Version and MIC when present.
std::vector<std::uint8_t> encode_authenticate(const authenticate_message& message);
wire::decoded<authenticate_message> parse_authenticate(std::span<const std::uint8_t> message);

// NTLMv2_RESPONSE ([MS-NLMP] 2.2.2.8) with its NTLMv2_CLIENT_CHALLENGE (2.2.2.7).
struct ntlmv2_response {
  key16 nt_proof_str{};
  std::uint64_t timestamp = 0;
  challenge_bytes client_challenge{};
  std::vector<av_pair> av_pairs;          // up to MsvAvEOL
  std::span<const std::uint8_t> blob;     // "temp" of 3.3.2: everything after NTProofStr, in the input
};
// RespType and HiRespType must be 1; an NTLMv1 response (24 bytes) is refused.
wire::decoded<ntlmv2_response> parse_ntlmv2_response(std::span<const std::uint8_t> nt_response);

// Server side ([MS-NLMP] 3.2.5.1.2): does the NTLMv2 response prove knowledge
// of `password` for the user and domain the message names, for the challenge
// `sent`? Tried with the domain as sent, then with an empty one, as the spec
// does. Only the NT response counts: an LMv2 response alone is not accepted
// (it does not cover the blob, so a tampered blob would pass).
bool verify_ntlmv2(const authenticate_message& message, const challenge_message& sent, std::string_view password);

// ---- Crypto building blocks ([MS-NLMP] 3.3.2, 3.4.5.1) -------------------

// UTF-8 to UTF-16LE; invalid UTF-8 becomes U+FFFD.
std::vector<std::uint8_t> utf16le(std::string_view utf8);
// The user name as NTOWFv2 uppercases it: ASCII, Latin-1 letters (not ß, ÿ,
// µ) and basic Cyrillic. Windows uses its full Unicode table; names outside
// these ranges may differ in case from what Windows computes.
std::string uppercase_user(std::string_view utf8);

key16 nt_hash(std::string_view password); // MD4(UNICODE(Passwd)), NTOWFv1
key16 ntowf_v2(std::string_view password, std::string_view user, std::string_view domain);
// temp = 01 01 Z(6) Time ClientChallenge Z(4) ServerName Z(4), where
// ServerName is the AV_PAIR list as sent (with its MsvAvEOL).
std::vector<std::uint8_t> ntlmv2_blob(std::uint64_t timestamp, const challenge_bytes& client_challenge,
                                      std::span<const std::uint8_t> server_name);
key16 nt_proof_str(const key16& response_key_nt, const challenge_bytes& server_challenge,
                   std::span<const std::uint8_t> blob);
// NtChallengeResponse = NTProofStr || temp.
std::vector<std::uint8_t> ntlmv2_nt_response(const key16& response_key_nt, const challenge_bytes& server_challenge,
                                             std::span<const std::uint8_t> blob);
// LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge.
std::vector<std::uint8_t> lmv2_response(const key16& response_key_lm, const challenge_bytes& server_challenge,
                                        const challenge_bytes& client_challenge);
// SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr); for NTLMv2 it is also
// the KeyExchangeKey (3.4.5.1).
key16 session_base_key(const key16& response_key_nt, const key16& nt_proof_str);
// RC4K(KeyExchangeKey, key): encrypts the exported session key, and decrypts it.
key16 rc4k(const key16& key_exchange_key, const key16& key);

// ---- HTTP ("Authorization: NTLM ..." / "WWW-Authenticate: NTLM ...") -----

std::string header_value(std::span<const std::uint8_t> message); // "NTLM <base64>"
// "NTLM <base64>" (scheme in any case, spaces around) to the message bytes;
// a bare "NTLM" (the server's first 401) gives an empty vector. nullopt for
// another scheme or bad base64. One challenge only: splitting a header that
// lists several schemes is the caller's job.
std::optional<std::vector<std::uint8_t>> from_header_value(std::string_view value);

} // namespace edgeprobe::ntlm
