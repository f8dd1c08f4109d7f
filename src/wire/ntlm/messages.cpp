// NTLM messages ([MS-NLMP] 2.2): NEGOTIATE, CHALLENGE and AUTHENTICATE as
// bytes and back, the AV_PAIR list, the NTLMv2 response structure, and the
// "NTLM <base64>" header values. Every message is a fixed header whose 8-byte
// fields (length, max length, offset) point into a payload; the decoders
// check each such field against the message's size before reading, and the
// encoders lay the payload out right after the header. The crypto is in
// crypto.cpp, the UTF-16 conversions in utf16.cpp.
#include "wire/ntlm/ntlm.hpp"

#include "wire/ascii.hpp"
#include "wire/base64.hpp"
#include "wire/ntlm/utf16.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <algorithm>
#include <utility>

namespace edgeprobe::ntlm {

namespace {

using wire::failure;

constexpr std::array<std::uint8_t, 8> signature{'N', 'T', 'L', 'M', 'S', 'S', 'P', 0}; // 2.2.1.1-2.2.1.3
constexpr std::uint32_t negotiate_type = 1, challenge_type = 2, authenticate_type = 3;

// Header sizes and where the optional Version and MIC go (2.2.1.1-2.2.1.3).
constexpr std::size_t negotiate_header = 32, challenge_header = 48, authenticate_header = 64;
constexpr std::size_t version_size = 8, mic_size = 16;
constexpr std::size_t max_field = 0xFFFF; // a 16-bit Len
constexpr std::size_t blob_fixed = 28;    // NTLMv2_CLIENT_CHALLENGE up to AvPairs (2.2.2.7)

// Every integer in NTLM is little-endian, whatever the charset flags say.
wire::reader le_reader(std::span<const std::uint8_t> bytes, std::size_t base = 0) {
  return wire::reader(bytes, wire::byte_order::little, base);
}

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A string field of an AUTHENTICATE or CHALLENGE message: UTF-16LE with
// NTLMSSP_NEGOTIATE_UNICODE, else OEM, which edgeprobe keeps as bytes (2.2.2.5 A, B).
bytes encode_text(std::string_view text, bool unicode) {
  if (unicode) return utf16le(text);
  const auto raw = as_bytes(text);
  return {raw.begin(), raw.end()};
}

// ---- reading fields ------------------------------------------------------

// The fixed part every message starts with: signature and MessageType.
void check_start(std::span<const std::uint8_t> m, std::uint32_t type, std::size_t header, const char* name) {
  if (m.size() < header)
    throw failure{m.size(), std::string(name) + " is " + std::to_string(m.size()) + " bytes, shorter than its " +
                                std::to_string(header) + "-byte header"};
  if (!std::equal(signature.begin(), signature.end(), m.begin())) throw failure{0, "no \"NTLMSSP\\0\" signature"};
  if (const auto got = le_reader(m).at(8, "MessageType").u32("MessageType"); got != type)
    throw failure{8, "MessageType " + std::to_string(got) + ", not " + std::to_string(type) + " (" + name + ")"};
}

// Reads the payload fields of one message and remembers where the payload
// starts, which is where the header (with its optional Version and MIC) ends.
// Constructed once check_start has seen the whole header, so reads inside it
// cannot fail; the fields' lengths and offsets are checked here, each with an
// error that names the field.
class field_reader {
public:
  field_reader(std::span<const std::uint8_t> message, std::size_t header)
      : in_(le_reader(message)), header_(header), payload_start_(message.size()) {}

  // The Len / MaxLen / BufferOffset triple at `at` ([MS-NLMP] 2.2.1.1). MaxLen
  // is ignored; an empty field's offset is ignored too (clients leave any
  // value there). A field may not point into the fixed header.
  std::span<const std::uint8_t> field(std::size_t at, const char* name) {
    wire::reader entry = in_.at(at, name);
    const std::size_t length = entry.u16(name);
    entry.skip(2, name); // MaxLen
    const std::size_t offset = entry.u32(name);
    const std::size_t size = in_.size();
    if (length == 0) return {};
    if (offset < header_)
      throw failure{at, std::string(name) + " points at offset " + std::to_string(offset) + ", inside the " +
                            std::to_string(header_) + "-byte header"};
    if (offset > size || length > size - offset)
      throw failure{at, std::string(name) + ": " + std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                            " run past the end of the " + std::to_string(size) + "-byte message"};
    payload_start_ = std::min(payload_start_, offset);
    return in_.at(offset, name).take(length, name);
  }

  std::string text(std::size_t at, const char* name, bool unicode) {
    const auto raw = field(at, name);
    if (!unicode) return {raw.begin(), raw.end()};
    if (raw.size() % 2 != 0)
      throw failure{at, std::string(name) + " is UTF-16 but " + std::to_string(raw.size()) + " bytes long (odd)"};
    return utf8_from_utf16le(raw);
  }

  // Version sits right after the fixed header when the payload leaves room.
  std::optional<version> version_field() const {
    if (payload_start_ < header_ + version_size) return std::nullopt;
    wire::reader in = in_.at(header_, "Version");
    version v;
    v.major = in.u8("ProductMajorVersion");
    v.minor = in.u8("ProductMinorVersion");
    v.build = in.u16("ProductBuild");
    in.skip(3, "Reserved");
    v.ntlm_revision = in.u8("NTLMRevisionCurrent");
    return v;
  }

  std::optional<key16> mic_field() const {
    const std::size_t at = header_ + version_size;
    if (payload_start_ < at + mic_size) return std::nullopt;
    const auto raw = in_.at(at, "MIC").take(mic_size, "MIC");
    key16 mic;
    std::copy(raw.begin(), raw.end(), mic.begin());
    return mic;
  }

private:
  wire::reader in_;
  std::size_t header_;
  std::size_t payload_start_;
};

// ---- writing fields --------------------------------------------------------

// A message under construction: the header (sized up front, zeros), then the
// payload, each field's Len/MaxLen/BufferOffset patched in as it is appended.
class message_writer {
public:
  message_writer(std::uint32_t type, std::size_t header) : out_(wire::byte_order::little) {
    out_.bytes(signature);
    out_.zeros(header - signature.size());
    out_.patch_u32(8, type);
  }

  void u32(std::size_t at, std::uint32_t v) { out_.patch_u32(at, v); }
  void raw(std::size_t at, std::span<const std::uint8_t> data) { out_.patch_bytes(at, data); }

  // Fields over 65,535 bytes cannot be described by a 16-bit Len: cut there.
  void field(std::size_t at, std::span<const std::uint8_t> data) {
    data = data.first(std::min(data.size(), max_field));
    out_.patch_u16(at, static_cast<std::uint16_t>(data.size()));
    out_.patch_u16(at + 2, static_cast<std::uint16_t>(data.size()));
    out_.patch_u32(at + 4, static_cast<std::uint32_t>(out_.size()));
    out_.bytes(data);
  }

  void version_at(std::size_t at, const version& v) {
    out_.patch_u8(at, v.major);
    out_.patch_u8(at + 1, v.minor);
    out_.patch_u16(at + 2, v.build);
    out_.patch_u8(at + 7, v.ntlm_revision); // bytes 4..6 are Reserved
  }

  bytes take() { return out_.take(); }

private:
  wire::writer out_;
};

// The list at `base` in its message, so errors name message offsets.
std::vector<av_pair> read_av_pairs(std::span<const std::uint8_t> list, std::size_t base) {
  std::vector<av_pair> out;
  wire::reader in = le_reader(list, base);
  while (true) {
    if (in.remaining() < 4)
      throw failure{in.pos(), "the AV_PAIR list ends after " + std::to_string(in.index()) + " bytes without MsvAvEOL"};
    const std::size_t at = in.pos();
    const std::uint16_t id = in.u16("AvId");
    const std::size_t length = in.u16("AvLen");
    if (id == av::eol) return out; // 2.2.2.1: the list ends here; its AvLen should be 0
    if (length > in.remaining())
      throw failure{at, "AV_PAIR " + std::to_string(id) + " of " + std::to_string(length) + " bytes runs past the " +
                            std::to_string(list.size()) + "-byte list"};
    const auto value = in.take(length, "Value");
    out.push_back({id, bytes(value.begin(), value.end())});
  }
}

} // namespace

// ---- flags -----------------------------------------------------------------

std::string flag_names(std::uint32_t flags) {
  static constexpr std::pair<std::uint32_t, const char*> names[] = {
      {flag::negotiate_unicode, "UNICODE"},
      {flag::negotiate_oem, "OEM"},
      {flag::request_target, "REQUEST_TARGET"},
      {flag::negotiate_sign, "SIGN"},
      {flag::negotiate_seal, "SEAL"},
      {flag::negotiate_datagram, "DATAGRAM"},
      {flag::negotiate_lm_key, "LM_KEY"},
      {flag::negotiate_ntlm, "NTLM"},
      {flag::anonymous, "ANONYMOUS"},
      {flag::negotiate_oem_domain_supplied, "OEM_DOMAIN_SUPPLIED"},
      {flag::negotiate_oem_workstation_supplied, "OEM_WORKSTATION_SUPPLIED"},
      {flag::negotiate_always_sign, "ALWAYS_SIGN"},
      {flag::target_type_domain, "TARGET_TYPE_DOMAIN"},
      {flag::target_type_server, "TARGET_TYPE_SERVER"},
      {flag::negotiate_extended_sessionsecurity, "EXTENDED_SESSIONSECURITY"},
      {flag::negotiate_identify, "IDENTIFY"},
      {flag::request_non_nt_session_key, "REQUEST_NON_NT_SESSION_KEY"},
      {flag::negotiate_target_info, "TARGET_INFO"},
      {flag::negotiate_version, "VERSION"},
      {flag::negotiate_128, "128"},
      {flag::negotiate_key_exch, "KEY_EXCH"},
      {flag::negotiate_56, "56"},
  };
  std::string out;
  std::uint32_t known = 0;
  for (const auto& [bit, name] : names) {
    known |= bit;
    if (flags & bit) out += (out.empty() ? "" : "|") + std::string(name);
  }
  if (const auto rest = flags & ~known) {
    constexpr char hex[] = "0123456789abcdef";
    std::string text = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) text.push_back(hex[(rest >> shift) & 0xF]);
    out += (out.empty() ? "" : "|") + text;
  }
  return out;
}

// ---- NEGOTIATE_MESSAGE -----------------------------------------------------

std::vector<std::uint8_t> build_negotiate(std::uint32_t flags) { return encode_negotiate({flags, {}, {}, {}}); }

std::vector<std::uint8_t> encode_negotiate(const negotiate_message& message) {
  std::uint32_t flags = message.flags;
  if (!message.domain.empty()) flags |= flag::negotiate_oem_domain_supplied;
  if (!message.workstation.empty()) flags |= flag::negotiate_oem_workstation_supplied;
  message_writer w(negotiate_type, negotiate_header + (message.os_version ? version_size : 0));
  w.u32(12, flags);
  if (message.os_version) w.version_at(negotiate_header, *message.os_version);
  // DomainName and WorkstationName are OEM, whatever the charset flags say (2.2.1.1).
  w.field(16, as_bytes(message.domain));
  w.field(24, as_bytes(message.workstation));
  return w.take();
}

wire::decoded<negotiate_message> parse_negotiate(std::span<const std::uint8_t> m) {
  return wire::decoding([&] {
    check_start(m, negotiate_type, negotiate_header, "NEGOTIATE_MESSAGE");
    negotiate_message out;
    out.flags = le_reader(m).at(12, "NegotiateFlags").u32("NegotiateFlags");
    field_reader fields(m, negotiate_header);
    // The names count only with their *_SUPPLIED flags; otherwise the fields
    // "MUST be ignored" (2.2.1.1), whatever they hold.
    if (out.flags & flag::negotiate_oem_domain_supplied) out.domain = fields.text(16, "DomainName", false);
    if (out.flags & flag::negotiate_oem_workstation_supplied) out.workstation = fields.text(24, "WorkstationName", false);
    out.os_version = fields.version_field();
    return out;
  });
}

// ---- AV pairs and CHALLENGE_MESSAGE ---------------------------------------

av_pair text_pair(std::uint16_t id, std::string_view utf8) { return {id, utf16le(utf8)}; }

av_pair timestamp_pair(std::uint64_t filetime) {
  wire::writer value(wire::byte_order::little);
  value.u64(filetime);
  return {av::timestamp, value.take()};
}

std::vector<std::uint8_t> encode_av_pairs(std::span<const av_pair> pairs) {
  wire::writer out(wire::byte_order::little);
  if (pairs.empty()) return out.take();
  for (const auto& pair : pairs) {
    const auto value = std::span(pair.value).first(std::min(pair.value.size(), max_field));
    out.u16(pair.id);
    out.u16(static_cast<std::uint16_t>(value.size()));
    out.bytes(value);
  }
  out.u16(av::eol);
  out.u16(0);
  return out.take();
}

wire::decoded<std::vector<av_pair>> parse_av_pairs(std::span<const std::uint8_t> list) {
  return wire::decoding([&] { return read_av_pairs(list, 0); });
}

std::optional<std::string> challenge_message::av_text(std::uint16_t id) const {
  for (const auto& pair : target_info)
    if (pair.id == id) return utf8_from_utf16le(pair.value);
  return std::nullopt;
}

std::optional<std::uint64_t> challenge_message::timestamp() const {
  for (const auto& pair : target_info)
    if (pair.id == av::timestamp && pair.value.size() == 8) return le_reader(pair.value).u64("MsvAvTimestamp");
  return std::nullopt;
}

std::uint32_t answer_flags(std::uint32_t client_flags) {
  std::uint32_t flags = flag::negotiate_ntlm | flag::negotiate_target_info;
  // 3.2.5.1.1: Unicode when the client can, else OEM.
  flags |= (client_flags & flag::negotiate_unicode) ? flag::negotiate_unicode : flag::negotiate_oem;
  // A requested target name comes with the kind of target it names.
  if (client_flags & flag::request_target) flags |= flag::request_target | flag::target_type_server;
  flags |= client_flags & (flag::negotiate_always_sign | flag::negotiate_extended_sessionsecurity |
                           flag::negotiate_128 | flag::negotiate_56);
  return flags;
}

std::vector<std::uint8_t> build_challenge(const challenge_message& message) {
  const bool unicode = message.flags & flag::negotiate_unicode;
  message_writer w(challenge_type, challenge_header + (message.os_version ? version_size : 0));
  w.u32(20, message.flags);
  w.raw(24, message.server_challenge); // then 8 bytes Reserved, left zero
  if (message.os_version) w.version_at(challenge_header, *message.os_version);
  w.field(12, encode_text(message.target_name, unicode));
  w.field(40, encode_av_pairs(message.target_info));
  return w.take();
}

wire::decoded<challenge_message> parse_challenge(std::span<const std::uint8_t> m) {
  return wire::decoding([&] {
    // 48 bytes: older servers stop after ServerChallenge (32), but without
    // TargetInfo there is no NTLMv2, the only version edgeprobe speaks.
    check_start(m, challenge_type, challenge_header, "CHALLENGE_MESSAGE");
    challenge_message out;
    wire::reader fixed = le_reader(m).at(20, "NegotiateFlags");
    out.flags = fixed.u32("NegotiateFlags");
    const auto server_challenge = fixed.take(out.server_challenge.size(), "ServerChallenge");
    std::copy(server_challenge.begin(), server_challenge.end(), out.server_challenge.begin());
    field_reader fields(m, challenge_header);
    out.target_name = fields.text(12, "TargetName", out.flags & flag::negotiate_unicode);
    const auto info = fields.field(40, "TargetInfo");
    if (!info.empty()) out.target_info = read_av_pairs(info, static_cast<std::size_t>(info.data() - m.data()));
    out.os_version = fields.version_field();
    return out;
  });
}

// ---- AUTHENTICATE_MESSAGE --------------------------------------------------

std::vector<std::uint8_t> encode_authenticate(const authenticate_message& message) {
  const bool unicode = message.flags & flag::negotiate_unicode;
  std::size_t header = authenticate_header;
  if (message.os_version || message.mic) header += version_size; // the MIC comes after a Version, even a zero one
  if (message.mic) header += mic_size;
  message_writer w(authenticate_type, header);
  w.u32(60, message.flags);
  if (message.os_version) w.version_at(authenticate_header, *message.os_version);
  if (message.mic) w.raw(authenticate_header + version_size, *message.mic);
  w.field(28, encode_text(message.domain, unicode));
  w.field(36, encode_text(message.user, unicode));
  w.field(44, encode_text(message.workstation, unicode));
  w.field(12, message.lm_response);
  w.field(20, message.nt_response);
  w.field(52, message.encrypted_random_session_key);
  return w.take();
}

wire::decoded<authenticate_message> parse_authenticate(std::span<const std::uint8_t> m) {
  return wire::decoding([&] {
    check_start(m, authenticate_type, authenticate_header, "AUTHENTICATE_MESSAGE");
    authenticate_message out;
    out.flags = le_reader(m).at(60, "NegotiateFlags").u32("NegotiateFlags");
    const bool unicode = out.flags & flag::negotiate_unicode;
    field_reader fields(m, authenticate_header);
    const auto copy = [](std::span<const std::uint8_t> s) { return bytes(s.begin(), s.end()); };
    out.lm_response = copy(fields.field(12, "LmChallengeResponse"));
    out.nt_response = copy(fields.field(20, "NtChallengeResponse"));
    out.domain = fields.text(28, "DomainName", unicode);
    out.user = fields.text(36, "UserName", unicode);
    out.workstation = fields.text(44, "Workstation", unicode);
    out.encrypted_random_session_key = copy(fields.field(52, "EncryptedRandomSessionKey"));
    out.os_version = fields.version_field();
    out.mic = fields.mic_field();
    return out;
  });
}

wire::decoded<ntlmv2_response> parse_ntlmv2_response(std::span<const std::uint8_t> r) {
  return wire::decoding([&] {
    // 16 NTProofStr + 28 fixed + at least MsvAvEOL. An NTLMv1 response is 24.
    if (r.size() < 16 + blob_fixed + 4)
      throw failure{r.size(), "an NTLMv2 response is at least 48 bytes; this one is " + std::to_string(r.size()) +
                                  (r.size() == 24 ? " (NTLMv1)" : "")};
    if (r[16] != 1 || r[17] != 1)
      throw failure{16, "RespType " + std::to_string(r[16]) + " / HiRespType " + std::to_string(r[17]) + ", not 1 / 1 (2.2.2.7)"};
    ntlmv2_response out;
    wire::reader in = le_reader(r);
    const auto proof = in.take(out.nt_proof_str.size(), "NTProofStr");
    std::copy(proof.begin(), proof.end(), out.nt_proof_str.begin());
    in.skip(8, "RespType, HiRespType, Reserved1 and Reserved2");
    out.timestamp = in.u64("TimeStamp");
    const auto client_challenge = in.take(out.client_challenge.size(), "ChallengeFromClient");
    std::copy(client_challenge.begin(), client_challenge.end(), out.client_challenge.begin());
    in.skip(4, "Reserved3");
    out.av_pairs = read_av_pairs(in.rest(), 16 + blob_fixed);
    out.blob = r.subspan(16);
    return out;
  });
}

std::vector<std::uint8_t> build_authenticate(const challenge_message& challenge, const credentials& who,
                                             const client_inputs& inputs) {
  // 3.1.5.1.2: the flags are what both sides agreed on. KEY_EXCH needs a key
  // to exchange; Version is not sent.
  std::uint32_t flags = inputs.offered_flags & challenge.flags & ~flag::negotiate_version;
  const bool key_exch = (flags & flag::negotiate_key_exch) && inputs.exported_session_key;
  if (!key_exch) flags &= ~flag::negotiate_key_exch;

  // 3.1.5.1.2: with an MsvAvTimestamp from the server, its time goes into the
  // blob and the LM response is Z(24) (an LMv2 response could not be bound to
  // that time).
  const auto server_time = challenge.timestamp();
  const auto server_name = encode_av_pairs(challenge.target_info);
  if (16 + blob_fixed + server_name.size() + 4 > max_field) return {}; // the NT response's Len could not say it
  const auto key = ntowf_v2(who.password, who.user, who.domain);
  const auto blob = ntlmv2_blob(server_time.value_or(inputs.timestamp), inputs.client_challenge, server_name);

  authenticate_message out;
  out.flags = flags;
  out.nt_response = ntlmv2_nt_response(key, challenge.server_challenge, blob);
  out.lm_response = server_time ? bytes(24, 0) : lmv2_response(key, challenge.server_challenge, inputs.client_challenge);
  if (key_exch) {
    key16 proof;
    std::copy_n(out.nt_response.begin(), proof.size(), proof.begin());
    // 3.4.5.1: for NTLMv2 the KeyExchangeKey is the SessionBaseKey.
    const auto sealed = rc4k(session_base_key(key, proof), *inputs.exported_session_key);
    out.encrypted_random_session_key.assign(sealed.begin(), sealed.end());
  }
  out.domain = who.domain;
  out.user = who.user;
  out.workstation = inputs.workstation;
  return encode_authenticate(out);
}

// ---- HTTP ------------------------------------------------------------------

std::string header_value(std::span<const std::uint8_t> message) { return "NTLM " + base64_encode(message); }

std::optional<std::vector<std::uint8_t>> from_header_value(std::string_view value) {
  value = trim_ows(value);
  const auto space = std::find_if(value.begin(), value.end(), is_ows);
  const auto scheme = value.substr(0, static_cast<std::size_t>(space - value.begin()));
  if (!iequals_ascii(scheme, "NTLM")) return std::nullopt;
  const auto token = trim_ows(value.substr(scheme.size()));
  if (token.empty()) return bytes{};
  return base64_decode(token);
}

} // namespace edgeprobe::ntlm
