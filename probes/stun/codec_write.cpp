// Encoding STUN/TURN messages, and the two checksums encoding and verification
// must compute the same way: MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT
// (CRC-32), each over the message before it with the header length counting it.
#include "probes/stun/codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace edgeprobe::stun {

namespace {

constexpr std::uint32_t fingerprint_xor = 0x5354554E; // "STUN": tells a FINGERPRINT from a plain CRC
constexpr std::size_t max_length = 0xFFFF;            // the header's 16-bit length field
constexpr std::size_t integrity_size = 4 + 20;
constexpr std::size_t fingerprint_size = 4 + 4;

void put16(std::vector<std::uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xFFFF);
}

void set_length(std::vector<std::uint8_t>& message, std::size_t length) {
  message[2] = static_cast<std::uint8_t>(length >> 8);
  message[3] = static_cast<std::uint8_t>(length);
}

std::uint32_t be32(std::span<const std::uint8_t> b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

std::array<std::uint8_t, 20> hmac_sha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
  static const std::uint8_t no_key = 0;
  std::array<std::uint8_t, 20> mac{};
  std::size_t written = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, key.empty() ? &no_key : key.data(), key.size(),
                 data.data(), data.size(), mac.data(), mac.size(), &written) ||
      written != mac.size())
    throw std::runtime_error("HMAC-SHA1 failed in OpenSSL");
  return mac;
}

// The bytes a checksum at `offset` covers: the message before it, with the
// header length as if the message ended right after the checksum attribute.
std::vector<std::uint8_t> covered_bytes(std::span<const std::uint8_t> message, std::size_t offset,
                                        std::size_t attribute_size) {
  std::vector<std::uint8_t> covered(message.begin(), message.begin() + static_cast<std::ptrdiff_t>(offset));
  set_length(covered, offset + attribute_size - header_size);
  return covered;
}

// Whether `a` can be the attribute of that size at its offset in `bytes`, so
// a message that is not the decode of these bytes cannot make us read past them.
bool placed_in(const attribute& a, std::span<const std::uint8_t> bytes, std::size_t attribute_size) {
  return a.offset >= header_size && a.offset <= bytes.size() && bytes.size() - a.offset >= attribute_size &&
         a.value.size() == attribute_size - 4;
}

constexpr std::array<std::uint32_t, 256> crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1; // reflected 0x04C11DB7
    table[i] = c;
  }
  return table;
}

} // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  static constexpr auto table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (const std::uint8_t b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::array<std::uint8_t, 16> long_term_key(std::string_view username, std::string_view realm,
                                           std::string_view password) {
  std::string text;
  text.reserve(username.size() + realm.size() + password.size() + 2);
  text.append(username).append(":").append(realm).append(":").append(password);
  std::array<std::uint8_t, 16> key{};
  std::size_t written = 0;
  if (!EVP_Q_digest(nullptr, "MD5", nullptr, text.data(), text.size(), key.data(), &written) ||
      written != key.size())
    throw std::runtime_error("MD5 failed in OpenSSL");
  return key;
}

std::optional<bool> verify_integrity(std::span<const std::uint8_t> bytes, const message& m,
                                     std::span<const std::uint8_t> key) {
  const attribute* mi = m.find(attr::message_integrity);
  if (!mi) return std::nullopt;
  if (!placed_in(*mi, bytes, integrity_size)) return false;
  const auto mac = hmac_sha1(key, covered_bytes(bytes, mi->offset, integrity_size));
  return CRYPTO_memcmp(mac.data(), mi->value.data(), mac.size()) == 0;
}

std::optional<bool> verify_fingerprint(std::span<const std::uint8_t> bytes, const message& m) {
  const attribute* fp = m.find(attr::fingerprint);
  if (!fp) return std::nullopt;
  if (!placed_in(*fp, bytes, fingerprint_size)) return false;
  return (crc32(covered_bytes(bytes, fp->offset, fingerprint_size)) ^ fingerprint_xor) == be32(fp->value);
}

encoder::encoder(std::uint16_t method, message_class klass, std::uint32_t cookie, const transaction_id& id,
                 dialect d)
    : type_(message_type(method, klass)), cookie_(cookie), id_(id), dialect_(d) {
  if (d == dialect::ms_turn) add_u32(attr::ms_magic_cookie, ms_magic_cookie);
}

// Throws std::length_error rather than write a length field that wraps.
encoder& encoder::add(std::uint16_t type, std::span<const std::uint8_t> value) {
  const std::size_t padding = dialect_ == dialect::rfc ? (4 - value.size() % 4) % 4 : 0;
  if (value.size() > max_length || body_.size() + 4 + value.size() + padding > max_length)
    throw std::length_error("STUN attribute makes the message longer than 65535 bytes");
  put16(body_, type);
  put16(body_, value.size());
  body_.insert(body_.end(), value.begin(), value.end());
  body_.insert(body_.end(), padding, 0);
  return *this;
}

encoder& encoder::add_text(std::uint16_t type, std::string_view text) {
  return add(type, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

encoder& encoder::add_u32(std::uint16_t type, std::uint32_t value) {
  std::vector<std::uint8_t> bytes;
  put32(bytes, value);
  return add(type, bytes);
}

encoder& encoder::add_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e) {
  std::vector<std::uint8_t> value{0, static_cast<std::uint8_t>(e.address().is_v4() ? 1 : 2)};
  put16(value, e.port());
  if (e.address().is_v4()) {
    for (const auto b : e.address().to_v4().to_bytes()) value.push_back(b);
  } else {
    for (const auto b : e.address().to_v6().to_bytes()) value.push_back(b);
  }
  return add(type, value);
}

encoder& encoder::add_xor_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e) {
  std::vector<std::uint8_t> value{0, static_cast<std::uint8_t>(e.address().is_v4() ? 1 : 2)};
  put16(value, e.port() ^ (cookie_ >> 16));
  std::vector<std::uint8_t> mask;
  put32(mask, cookie_);
  mask.insert(mask.end(), id_.begin(), id_.end());
  std::size_t i = 0;
  if (e.address().is_v4()) {
    for (const auto b : e.address().to_v4().to_bytes()) value.push_back(b ^ mask[i++]);
  } else {
    for (const auto b : e.address().to_v6().to_bytes()) value.push_back(b ^ mask[i++]);
  }
  return add(type, value);
}

// Throws std::invalid_argument outside 300..699: the class field holds 3..6.
encoder& encoder::add_error_code(int code, std::string_view reason) {
  if (code < 300 || code > 699) throw std::invalid_argument("STUN error code " + std::to_string(code) + " is not 300..699");
  std::vector<std::uint8_t> value{0, 0, static_cast<std::uint8_t>(code / 100), static_cast<std::uint8_t>(code % 100)};
  value.insert(value.end(), reason.begin(), reason.end());
  return add(attr::error_code, value);
}

encoder& encoder::add_requested_transport_udp() {
  static constexpr std::uint8_t udp[] = {17, 0, 0, 0}; // IANA protocol number, then 3 reserved bytes
  return add(attr::requested_transport, udp);
}

std::vector<std::uint8_t> encoder::finish(std::optional<std::span<const std::uint8_t>> integrity_key,
                                          bool fingerprint) const {
  const std::size_t length =
      body_.size() + (integrity_key ? integrity_size : 0) + (fingerprint ? fingerprint_size : 0);
  if (length > max_length) throw std::length_error("STUN message longer than 65535 bytes");
  std::vector<std::uint8_t> out;
  out.reserve(header_size + length);
  put16(out, type_);
  put16(out, 0); // set below, once per checksum and at the end
  put32(out, cookie_);
  out.insert(out.end(), id_.begin(), id_.end());
  out.insert(out.end(), body_.begin(), body_.end());
  if (integrity_key) {
    set_length(out, out.size() + integrity_size - header_size);
    const auto mac = hmac_sha1(*integrity_key, out);
    put16(out, attr::message_integrity);
    put16(out, mac.size());
    out.insert(out.end(), mac.begin(), mac.end());
  }
  if (fingerprint) {
    set_length(out, out.size() + fingerprint_size - header_size);
    const std::uint32_t crc = crc32(out) ^ fingerprint_xor;
    put16(out, attr::fingerprint);
    put16(out, 4);
    put32(out, crc);
  }
  set_length(out, out.size() - header_size);
  return out;
}

} // namespace edgeprobe::stun
