// libFuzzer entry for the STUN/TURN codec: any bytes must decode or fail
// cleanly in both dialects. Whatever decodes must survive every typed reader
// and both checks; what a reader reads must encode back to the bytes it read;
// and the attributes re-encoded must decode again to the same attributes.
#include "probes/stun/codec.hpp"

#include <cstdlib>
#include <stdexcept>

namespace {

using namespace edgeprobe;
using bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t fixed_key[] = {'e', 'd', 'g', 'e', 'p', 'r', 'o', 'b', 'e'};

void require(bool invariant) {
  if (!invariant) std::abort();
}

std::size_t padded(std::size_t length, stun::dialect d) {
  return d == stun::dialect::rfc ? (length + 3) / 4 * 4 : length;
}

stun::encoder encoder_like(const stun::message& m, stun::dialect d) {
  return stun::encoder(m.method, m.klass, m.cookie, m.id, d);
}

// The value the encoder wrote for the one attribute `add` adds.
template <class Add> bytes encoded_value(const stun::message& m, stun::dialect d, Add add) {
  auto e = encoder_like(m, d);
  add(e);
  const auto b = e.finish();
  const auto again = stun::decode(b, d);
  require(again.value.has_value() && !again.value->attributes.empty());
  return again.value->attributes.back().value;
}

bytes without_reserved_byte(bytes v) {
  v[0] = 0;
  return v;
}

void read_everything(std::span<const std::uint8_t> data, const stun::message& m, stun::dialect d) {
  (void)stun::method_name(m.method);
  (void)stun::class_name(m.klass);
  for (const auto& a : m.attributes) {
    require(!stun::attribute_name(a.type, d).empty());
    require(stun::read_text(a).size() == a.value.size());
    if (const auto e = stun::read_address(a))
      require(encoded_value(m, d, [&](stun::encoder& x) { x.add_address(a.type, *e); }) == without_reserved_byte(a.value));
    if (const auto e = stun::read_xor_address(a, m.cookie, m.id))
      require(encoded_value(m, d, [&](stun::encoder& x) { x.add_xor_address(a.type, *e); }) ==
              without_reserved_byte(a.value));
    if (const auto error = stun::read_error_code(a)) {
      require(error->code >= 300 && error->code <= 699);
      bytes expected{0, 0, static_cast<std::uint8_t>(a.value[2] & 0x07), a.value[3]};
      expected.insert(expected.end(), a.value.begin() + 4, a.value.end());
      require(encoded_value(m, d, [&](stun::encoder& x) { x.add_error_code(error->code, error->reason); }) == expected);
    }
    if (const auto v = stun::read_u32(a))
      require(encoded_value(m, d, [&](stun::encoder& x) { x.add_u32(a.type, *v); }) == a.value);
  }
  (void)stun::verify_integrity(data, m, fixed_key);
  (void)stun::verify_fingerprint(data, m);
}

// The original bytes as the encoder writes them: padding zeroed (rfc), or a
// MAGIC-COOKIE attribute first where there was none (ms_turn).
bytes expected_encoding(std::span<const std::uint8_t> data, const stun::message& m, stun::dialect d, bool cookie_added) {
  bytes out(data.begin(), data.end());
  for (const auto& a : m.attributes)
    for (std::size_t i = a.offset + 4 + a.value.size(); i < a.offset + 4 + padded(a.value.size(), d); ++i) out[i] = 0;
  if (cookie_added) {
    const bytes cookie{0x00, 0x0F, 0x00, 0x04, 0x72, 0xC6, 0x4B, 0xC6};
    out.insert(out.begin() + stun::header_size, cookie.begin(), cookie.end());
    const std::size_t length = out.size() - stun::header_size;
    out[2] = static_cast<std::uint8_t>(length >> 8);
    out[3] = static_cast<std::uint8_t>(length);
  }
  return out;
}

void reencode(std::span<const std::uint8_t> data, const stun::message& m, stun::dialect d) {
  // The ms_turn encoder writes MAGIC-COOKIE itself: a decoded one in first place is its own.
  const bool has_cookie = d == stun::dialect::ms_turn && !m.attributes.empty() &&
                          m.attributes.front().type == stun::attr::ms_magic_cookie &&
                          stun::read_u32(m.attributes.front()) == stun::ms_magic_cookie;
  const bool cookie_added = d == stun::dialect::ms_turn && !has_cookie;
  auto e = encoder_like(m, d);
  bytes out;
  try {
    for (std::size_t i = has_cookie ? 1 : 0; i < m.attributes.size(); ++i) e.add(m.attributes[i].type, m.attributes[i].value);
    out = e.finish();
  } catch (const std::length_error&) {
    require(cookie_added); // only the added 8 bytes can push a decoded message past 65535
    return;
  }
  require(out == expected_encoding(data, m, d, cookie_added));
  const auto again = stun::decode(out, d);
  require(again.value.has_value());
  const auto& n = *again.value;
  require(n.method == m.method && n.klass == m.klass && n.cookie == m.cookie && n.id == m.id);
  const std::size_t shift = cookie_added ? 1 : 0;
  require(n.attributes.size() == m.attributes.size() + shift);
  for (std::size_t i = 0; i < m.attributes.size(); ++i)
    require(n.attributes[i + shift].type == m.attributes[i].type && n.attributes[i + shift].value == m.attributes[i].value);

  // Signed by the encoder, the same attributes must verify; only without checksums
  // of their own, since verification looks at the first of each.
  if (m.find(stun::attr::message_integrity) || m.find(stun::attr::fingerprint)) return;
  bytes is_signed;
  try {
    is_signed = e.finish(std::span<const std::uint8_t>(fixed_key), true);
  } catch (const std::length_error&) {
    return;
  }
  const auto decoded_signed = stun::decode(is_signed, d);
  require(decoded_signed.value.has_value());
  require(stun::verify_integrity(is_signed, *decoded_signed.value, fixed_key) == true);
  require(stun::verify_fingerprint(is_signed, *decoded_signed.value) == true);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  (void)stun::looks_like_stun(input);
  (void)stun::framed_size(input);
  for (const auto d : {stun::dialect::rfc, stun::dialect::ms_turn}) {
    const auto decoded = stun::decode(input, d);
    if (!decoded.value) {
      require(decoded.error.offset <= size && !decoded.error.what.empty());
      continue;
    }
    require(stun::looks_like_stun(input) && stun::framed_size(input) == size);
    read_everything(input, *decoded.value, d);
    reencode(input, *decoded.value, d);
  }
  return 0;
}
