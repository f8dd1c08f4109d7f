// NTLM messages and NTLMv2 crypto ([MS-NLMP]). Every message is a fixed header
// whose 8-byte fields (length, max length, offset) point into a payload; the
// decoders check each such field against the message's size before reading,
// and the encoders lay the payload out right after the header.
#include "wire/ntlm/ntlm.hpp"

#include "wire/ascii.hpp"
#include "wire/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
// MD4 (the NT hash) and RC4 (KEY_EXCH) live in OpenSSL 3's legacy provider,
// so EVP_MD_fetch(nullptr, "MD4", nullptr) fails by default. Loading the legacy
// provider into the default library context would change what every other
// part of the process can fetch, and a private OSSL_LIB_CTX would need
// ossl-modules/legacy.so at run time. The low-level MD4() and RC4() are built
// into libcrypto itself (Debian's libssl3 has both): deprecated, not removed.
// They are used below in two small functions with the warning silenced there.
#include <openssl/md4.h>
#include <openssl/rc4.h>

#include <algorithm>
#include <utility>

namespace edgeprobe::ntlm {

namespace {

constexpr std::array<std::uint8_t, 8> signature{'N', 'T', 'L', 'M', 'S', 'S', 'P', 0}; // 2.2.1.1-2.2.1.3
constexpr std::uint32_t negotiate_type = 1, challenge_type = 2, authenticate_type = 3;

// Header sizes and where the optional Version and MIC go (2.2.1.1-2.2.1.3).
constexpr std::size_t negotiate_header = 32, challenge_header = 48, authenticate_header = 64;
constexpr std::size_t version_size = 8, mic_size = 16;
constexpr std::size_t max_field = 0xFFFF; // a 16-bit Len
constexpr std::size_t blob_fixed = 28;    // NTLMv2_CLIENT_CHALLENGE up to AvPairs (2.2.2.7)

// Thrown only inside this file and caught by the parse functions, which turn
// it into a decode_error: one step out of nested reads.
struct failure {
  std::size_t offset;
  std::string what;
};

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | (static_cast<std::uint32_t>(le16(b, at + 2)) << 16);
}
std::uint64_t le64(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint64_t>(le32(b, at)) | (static_cast<std::uint64_t>(le32(b, at + 4)) << 32);
}

void put16(bytes& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v);
  out[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(bytes& out, std::size_t at, std::uint32_t v) {
  put16(out, at, static_cast<std::uint16_t>(v));
  put16(out, at + 2, static_cast<std::uint16_t>(v >> 16));
}
void append16(bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void append64(bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void append(bytes& out, std::span<const std::uint8_t> data) { out.insert(out.end(), data.begin(), data.end()); }

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// ---- text ------------------------------------------------------------------

constexpr char32_t replacement = 0xFFFD;

// How many continuation bytes follow a UTF-8 lead byte; nullopt when the byte
// cannot start a sequence (a continuation byte, or 0xF8 and above).
std::optional<std::size_t> continuation_bytes(unsigned char lead) {
  if (lead < 0x80) return 0;
  if ((lead & 0xE0) == 0xC0) return 1;
  if ((lead & 0xF0) == 0xE0) return 2;
  if ((lead & 0xF8) == 0xF0) return 3;
  return std::nullopt;
}

// The code point of the sequence at utf8[at] with `extra` continuation bytes;
// nullopt when cut short, overlong, a surrogate or over U+10FFFF.
std::optional<char32_t> sequence_at(std::string_view utf8, std::size_t at, std::size_t extra) {
  if (extra >= utf8.size() - at) return std::nullopt;
  char32_t cp = static_cast<unsigned char>(utf8[at]) & (0x7F >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(utf8[at + k]);
    if ((c & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (c & 0x3F);
  }
  constexpr char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
  if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return cp;
}

// UTF-8 to code points; each byte that does not start a valid sequence
// becomes U+FFFD, and decoding goes on with the next byte.
std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto extra = continuation_bytes(static_cast<unsigned char>(utf8[i]));
    const auto cp = extra ? sequence_at(utf8, i, *extra) : std::nullopt;
    out.push_back(cp.value_or(replacement));
    i += cp ? *extra + 1 : 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// UTF-16LE (even length) to UTF-8; an unpaired surrogate becomes U+FFFD.
std::string utf8_from_utf16le(std::span<const std::uint8_t> b) {
  std::string out;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
    const char32_t unit = le16(b, i);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < b.size()) {
      const char32_t low = le16(b, i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? replacement : unit);
  }
  return out;
}

char32_t upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 0x20;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20; // Latin-1: à..þ, not ÷
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;            // Cyrillic а..я
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;            // Cyrillic ѐ..џ
  return c;
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
  if (const auto got = le32(m, 8); got != type)
    throw failure{8, "MessageType " + std::to_string(got) + ", not " + std::to_string(type) + " (" + name + ")"};
}

// Reads the payload fields of one message and remembers where the payload
// starts, which is where the header (with its optional Version and MIC) ends.
class field_reader {
public:
  field_reader(std::span<const std::uint8_t> message, std::size_t header) : m_(message), header_(header), payload_start_(message.size()) {}

  // The Len / MaxLen / BufferOffset triple at `at` ([MS-NLMP] 2.2.1.1). MaxLen
  // is ignored; an empty field's offset is ignored too (clients leave any
  // value there). A field may not point into the fixed header.
  std::span<const std::uint8_t> field(std::size_t at, const char* name) {
    const std::size_t length = le16(m_, at);
    const std::size_t offset = le32(m_, at + 4);
    if (length == 0) return {};
    if (offset < header_)
      throw failure{at, std::string(name) + " points at offset " + std::to_string(offset) + ", inside the " +
                            std::to_string(header_) + "-byte header"};
    if (offset > m_.size() || length > m_.size() - offset)
      throw failure{at, std::string(name) + ": " + std::to_string(length) + " bytes at offset " + std::to_string(offset) +
                            " run past the end of the " + std::to_string(m_.size()) + "-byte message"};
    payload_start_ = std::min(payload_start_, offset);
    return m_.subspan(offset, length);
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
    return version{m_[header_], m_[header_ + 1], le16(m_, header_ + 2), m_[header_ + 7]};
  }

  std::optional<key16> mic_field() const {
    const std::size_t at = header_ + version_size;
    if (payload_start_ < at + mic_size) return std::nullopt;
    key16 mic;
    std::copy_n(m_.begin() + static_cast<std::ptrdiff_t>(at), mic.size(), mic.begin());
    return mic;
  }

private:
  std::span<const std::uint8_t> m_;
  std::size_t header_;
  std::size_t payload_start_;
};

template <class T, class F> decoded<T> catching(F&& parse) {
  try {
    return {std::forward<F>(parse)(), {}};
  } catch (const failure& f) {
    return {std::nullopt, {f.what, f.offset}};
  }
}

// ---- writing fields --------------------------------------------------------

// A message under construction: the header (sized up front), then the
// payload, each field's Len/MaxLen/BufferOffset filled in as it is appended.
class message_writer {
public:
  message_writer(std::uint32_t type, std::size_t header) : out_(header, 0) {
    std::copy(signature.begin(), signature.end(), out_.begin());
    put32(out_, 8, type);
  }

  void u32(std::size_t at, std::uint32_t v) { put32(out_, at, v); }
  void raw(std::size_t at, std::span<const std::uint8_t> data) { std::copy(data.begin(), data.end(), out_.begin() + static_cast<std::ptrdiff_t>(at)); }

  // Fields over 65,535 bytes cannot be described by a 16-bit Len: cut there.
  void field(std::size_t at, std::span<const std::uint8_t> data) {
    data = data.first(std::min(data.size(), max_field));
    put16(out_, at, static_cast<std::uint16_t>(data.size()));
    put16(out_, at + 2, static_cast<std::uint16_t>(data.size()));
    put32(out_, at + 4, static_cast<std::uint32_t>(out_.size()));
    append(out_, data);
  }

  void version_at(std::size_t at, const version& v) {
    out_[at] = v.major;
    out_[at + 1] = v.minor;
    put16(out_, at + 2, v.build);
    out_[at + 7] = v.ntlm_revision; // bytes 4..6 are Reserved
  }

  bytes take() { return std::move(out_); }

private:
  bytes out_;
};

// ---- crypto primitives ---------------------------------------------------

key16 hmac_md5(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  key16 out{};
  unsigned int length = 0;
  HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &length);
  return out;
}

key16 hmac_md5(std::span<const std::uint8_t> key, std::span<const std::uint8_t> first, std::span<const std::uint8_t> second) {
  bytes joined(first.begin(), first.end());
  append(joined, second);
  return hmac_md5(key, joined);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" // MD4 and RC4: see the includes above

key16 md4(std::span<const std::uint8_t> data) {
  key16 out{};
  MD4(data.data(), data.size(), out.data());
  return out;
}

key16 rc4(const key16& key, const key16& data) {
  RC4_KEY schedule;
  RC4_set_key(&schedule, static_cast<int>(key.size()), key.data());
  key16 out{};
  RC4(&schedule, data.size(), data.data(), out.data());
  OPENSSL_cleanse(&schedule, sizeof schedule);
  return out;
}

#pragma GCC diagnostic pop

bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
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

decoded<negotiate_message> parse_negotiate(std::span<const std::uint8_t> m) {
  return catching<negotiate_message>([&] {
    check_start(m, negotiate_type, negotiate_header, "NEGOTIATE_MESSAGE");
    negotiate_message out;
    out.flags = le32(m, 12);
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
  bytes value;
  append64(value, filetime);
  return {av::timestamp, value};
}

std::vector<std::uint8_t> encode_av_pairs(std::span<const av_pair> pairs) {
  bytes out;
  if (pairs.empty()) return out;
  for (const auto& pair : pairs) {
    const auto value = std::span(pair.value).first(std::min(pair.value.size(), max_field));
    append16(out, pair.id);
    append16(out, static_cast<std::uint16_t>(value.size()));
    append(out, value);
  }
  append16(out, av::eol);
  append16(out, 0);
  return out;
}

namespace {

// The list at `base` in its message, so errors name message offsets.
std::vector<av_pair> read_av_pairs(std::span<const std::uint8_t> list, std::size_t base) {
  std::vector<av_pair> out;
  std::size_t at = 0;
  while (true) {
    if (list.size() - at < 4)
      throw failure{base + at, "the AV_PAIR list ends after " + std::to_string(at) + " bytes without MsvAvEOL"};
    const std::uint16_t id = le16(list, at);
    const std::size_t length = le16(list, at + 2);
    if (id == av::eol) return out; // 2.2.2.1: the list ends here; its AvLen should be 0
    if (length > list.size() - at - 4)
      throw failure{base + at, "AV_PAIR " + std::to_string(id) + " of " + std::to_string(length) + " bytes runs past the " +
                                   std::to_string(list.size()) + "-byte list"};
    const auto value = list.subspan(at + 4, length);
    out.push_back({id, bytes(value.begin(), value.end())});
    at += 4 + length;
  }
}

} // namespace

decoded<std::vector<av_pair>> parse_av_pairs(std::span<const std::uint8_t> list) {
  return catching<std::vector<av_pair>>([&] { return read_av_pairs(list, 0); });
}

std::optional<std::string> challenge_message::av_text(std::uint16_t id) const {
  for (const auto& pair : target_info)
    if (pair.id == id) return utf8_from_utf16le(pair.value);
  return std::nullopt;
}

std::optional<std::uint64_t> challenge_message::timestamp() const {
  for (const auto& pair : target_info)
    if (pair.id == av::timestamp && pair.value.size() == 8) return le64(pair.value, 0);
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

decoded<challenge_message> parse_challenge(std::span<const std::uint8_t> m) {
  return catching<challenge_message>([&] {
    // 48 bytes: older servers stop after ServerChallenge (32), but without
    // TargetInfo there is no NTLMv2, the only version edgeprobe speaks.
    check_start(m, challenge_type, challenge_header, "CHALLENGE_MESSAGE");
    challenge_message out;
    out.flags = le32(m, 20);
    std::copy_n(m.begin() + 24, out.server_challenge.size(), out.server_challenge.begin());
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

decoded<authenticate_message> parse_authenticate(std::span<const std::uint8_t> m) {
  return catching<authenticate_message>([&] {
    check_start(m, authenticate_type, authenticate_header, "AUTHENTICATE_MESSAGE");
    authenticate_message out;
    out.flags = le32(m, 60);
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

decoded<ntlmv2_response> parse_ntlmv2_response(std::span<const std::uint8_t> r) {
  return catching<ntlmv2_response>([&] {
    // 16 NTProofStr + 28 fixed + at least MsvAvEOL. An NTLMv1 response is 24.
    if (r.size() < 16 + blob_fixed + 4)
      throw failure{r.size(), "an NTLMv2 response is at least 48 bytes; this one is " + std::to_string(r.size()) +
                                  (r.size() == 24 ? " (NTLMv1)" : "")};
    if (r[16] != 1 || r[17] != 1)
      throw failure{16, "RespType " + std::to_string(r[16]) + " / HiRespType " + std::to_string(r[17]) + ", not 1 / 1 (2.2.2.7)"};
    ntlmv2_response out;
    std::copy_n(r.begin(), out.nt_proof_str.size(), out.nt_proof_str.begin());
    out.timestamp = le64(r, 24);
    std::copy_n(r.begin() + 32, out.client_challenge.size(), out.client_challenge.begin());
    out.av_pairs = read_av_pairs(r.subspan(16 + blob_fixed), 16 + blob_fixed);
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

bool verify_ntlmv2(const authenticate_message& message, const challenge_message& sent, std::string_view password) {
  const auto response = parse_ntlmv2_response(message.nt_response);
  if (!response) return false;
  const auto proves = [&](std::string_view domain) {
    const auto proof = nt_proof_str(ntowf_v2(password, message.user, domain), sent.server_challenge, response.value->blob);
    return same(proof, response.value->nt_proof_str);
  };
  // 3.2.5.1.2: with the domain the client named, then "retry using NIL for the domain name".
  return proves(message.domain) || (!message.domain.empty() && proves(""));
}

// ---- crypto ----------------------------------------------------------------

std::vector<std::uint8_t> utf16le(std::string_view utf8) {
  bytes out;
  for (char32_t cp : code_points(utf8)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append16(out, static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      append16(out, static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      append16(out, static_cast<std::uint16_t>(cp));
    }
  }
  return out;
}

std::string uppercase_user(std::string_view utf8) {
  std::string out;
  for (const char32_t cp : code_points(utf8)) append_utf8(out, upper(cp));
  return out;
}

key16 nt_hash(std::string_view password) { return md4(utf16le(password)); } // 3.3.1 NTOWFv1

// 3.3.2: NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))).
// Only the user name is uppercased, not the domain.
key16 ntowf_v2(std::string_view password, std::string_view user, std::string_view domain) {
  return hmac_md5(nt_hash(password), utf16le(uppercase_user(user)), utf16le(domain));
}

std::vector<std::uint8_t> ntlmv2_blob(std::uint64_t timestamp, const challenge_bytes& client_challenge,
                                      std::span<const std::uint8_t> server_name) {
  bytes temp{1, 1}; // Responserversion and HiResponserversion (RespType, HiRespType in 2.2.2.7)
  temp.resize(8, 0);
  append64(temp, timestamp);
  append(temp, client_challenge);
  temp.resize(temp.size() + 4, 0);
  append(temp, server_name);
  temp.resize(temp.size() + 4, 0);
  return temp;
}

key16 nt_proof_str(const key16& response_key_nt, const challenge_bytes& server_challenge,
                   std::span<const std::uint8_t> blob) {
  return hmac_md5(response_key_nt, server_challenge, blob);
}

std::vector<std::uint8_t> ntlmv2_nt_response(const key16& response_key_nt, const challenge_bytes& server_challenge,
                                             std::span<const std::uint8_t> blob) {
  const auto proof = nt_proof_str(response_key_nt, server_challenge, blob);
  bytes out(proof.begin(), proof.end());
  append(out, blob);
  return out;
}

std::vector<std::uint8_t> lmv2_response(const key16& response_key_lm, const challenge_bytes& server_challenge,
                                        const challenge_bytes& client_challenge) {
  const auto mac = hmac_md5(response_key_lm, server_challenge, client_challenge);
  bytes out(mac.begin(), mac.end());
  append(out, client_challenge);
  return out;
}

key16 session_base_key(const key16& response_key_nt, const key16& proof) { return hmac_md5(response_key_nt, proof); }

key16 rc4k(const key16& key_exchange_key, const key16& key) { return rc4(key_exchange_key, key); }

// ---- HTTP ------------------------------------------------------------------

std::string header_value(std::span<const std::uint8_t> message) { return "NTLM " + base64_encode(message); }

std::optional<std::vector<std::uint8_t>> from_header_value(std::string_view value) {
  value = trim(value);
  const auto space = std::find_if(value.begin(), value.end(), is_ows);
  const auto scheme = value.substr(0, static_cast<std::size_t>(space - value.begin()));
  if (!iequals_ascii(scheme, "NTLM")) return std::nullopt;
  const auto token = trim(value.substr(scheme.size()));
  if (token.empty()) return bytes{};
  return base64_decode(token);
}

} // namespace edgeprobe::ntlm
