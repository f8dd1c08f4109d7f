// Encoding STUN/TURN messages, and the two checksums encoding and verification
// must compute the same way: MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT
// (CRC-32), each over the message before it with the header length counting it.
#include "probes/stun/codec.hpp"

#include "wire/reader.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace edgeprobe::stun {

namespace {

constexpr std::uint32_t fingerprint_xor = 0x5354554E; // "STUN": tells a FINGERPRINT from a plain CRC
constexpr std::size_t max_length = 0xFFFF;            // the header's 16-bit length field
constexpr std::size_t integrity_size = 4 + 20;
constexpr std::size_t fingerprint_size = 4 + 4;

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
  wire::writer covered;
  covered.bytes(message.first(offset));
  covered.patch_u16be(2, static_cast<std::uint16_t>(offset + attribute_size - header_size));
  return covered.take();
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
  return (crc32(covered_bytes(bytes, fp->offset, fingerprint_size)) ^ fingerprint_xor) ==
         wire::reader(fp->value).u32be("the FINGERPRINT value");
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
  body_.u16be(type);
  body_.u16be(static_cast<std::uint16_t>(value.size()));
  body_.bytes(value);
  body_.zeros(padding);
  return *this;
}

encoder& encoder::add_text(std::uint16_t type, std::string_view text) {
  return add(type, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

encoder& encoder::add_u32(std::uint16_t type, std::uint32_t value) {
  wire::writer w;
  w.u32be(value);
  return add(type, w.view());
}

encoder& encoder::add_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e) {
  wire::writer value;
  value.u8(0);
  value.u8(e.address().is_v4() ? 1 : 2);
  value.u16be(e.port());
  if (e.address().is_v4()) {
    value.bytes(e.address().to_v4().to_bytes());
  } else {
    value.bytes(e.address().to_v6().to_bytes());
  }
  return add(type, value.view());
}

encoder& encoder::add_xor_address(std::uint16_t type, const boost::asio::ip::udp::endpoint& e) {
  wire::writer value;
  value.u8(0);
  value.u8(e.address().is_v4() ? 1 : 2);
  value.u16be(static_cast<std::uint16_t>(e.port() ^ (cookie_ >> 16)));
  wire::writer mask;
  mask.u32be(cookie_);
  mask.bytes(id_);
  std::size_t i = 0;
  const auto masked = [&](const auto& address) {
    for (const auto b : address) value.u8(static_cast<std::uint8_t>(b ^ mask.view()[i++]));
  };
  if (e.address().is_v4()) {
    masked(e.address().to_v4().to_bytes());
  } else {
    masked(e.address().to_v6().to_bytes());
  }
  return add(type, value.view());
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
  constexpr std::size_t length_at = 2;
  wire::writer out;
  out.u16be(type_);
  out.u16be(0); // set below, once per checksum and at the end
  out.u32be(cookie_);
  out.bytes(id_);
  out.bytes(body_.view());
  if (integrity_key) {
    out.patch_u16be(length_at, static_cast<std::uint16_t>(out.size() + integrity_size - header_size));
    const auto mac = hmac_sha1(*integrity_key, out.view());
    out.u16be(attr::message_integrity);
    out.u16be(static_cast<std::uint16_t>(mac.size()));
    out.bytes(mac);
  }
  if (fingerprint) {
    out.patch_u16be(length_at, static_cast<std::uint16_t>(out.size() + fingerprint_size - header_size));
    const std::uint32_t crc = crc32(out.view()) ^ fingerprint_xor;
    out.u16be(attr::fingerprint);
    out.u16be(4);
    out.u32be(crc);
  }
  out.patch_u16be(length_at, static_cast<std::uint16_t>(out.size() - header_size));
  return out.take();
}

} // namespace edgeprobe::stun
