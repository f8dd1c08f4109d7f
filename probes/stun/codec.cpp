// Decoding STUN/TURN messages in either dialect, reading typed values out of
// their attributes, and the names evidence prints. Every read checks the bytes
// that remain, so a lying length ends decoding with an error, never a read past
// the end.
#include "probes/stun/codec.hpp"

#include "wire/reader.hpp"

#include <cstdio>

namespace edgeprobe::stun {

namespace {

using wire::failure;

std::string hex(unsigned value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*X", digits, value);
  return text;
}

// RFC attributes end on a 32-bit boundary; the padding is not in the length.
std::size_t padded(std::size_t length) { return (length + 3) / 4 * 4; }

// The fixed header, read once its 20 bytes are known to be there.
void check_header(std::span<const std::uint8_t> bytes, std::size_t length, dialect d) {
  if ((bytes[0] & 0xC0) != 0) throw failure{0, "the first two bits are not zero (not a STUN message)"};
  if (length != bytes.size() - header_size)
    throw failure{2, "header length " + std::to_string(length) + " disagrees with the " +
                         std::to_string(bytes.size() - header_size) + " bytes after the header"};
  if (d == dialect::rfc && length % 4 != 0)
    throw failure{2, "header length " + std::to_string(length) + " is not a multiple of 4"};
}

// The attribute at the reader's position; the reader moves past it and its
// padding. The length is checked here, against what remains, so the error
// names the attribute rather than the bytes it ran out of.
attribute read_attribute(wire::reader& in, dialect d) {
  const std::size_t at = in.pos();
  if (in.remaining() < 4) throw failure{at, "attribute header at " + std::to_string(at) + " runs past the end"};
  attribute a;
  a.type = in.u16be("the attribute type");
  a.offset = at;
  const std::size_t length = in.u16be("the attribute length");
  const std::size_t room = in.remaining();
  const std::size_t used = d == dialect::rfc ? padded(length) : length;
  if (length > room || used > room)
    throw failure{at, "attribute " + hex(a.type, 4) + " at " + std::to_string(at) + " runs past the end (" +
                          std::to_string(length) + " bytes, " + std::to_string(room) + " left)"};
  const auto value = in.take(length, "the attribute value");
  a.value.assign(value.begin(), value.end());
  in.skip(used - length, "the attribute padding");
  return a;
}

// What the RFCs fix about where and how long these two attributes are; a
// message that breaks it cannot be verified, so it is not decoded either.
void check_attribute(const attribute& a, std::size_t next, std::size_t end, dialect d) {
  if (a.type == attr::message_integrity && a.value.size() != 20)
    throw failure{a.offset, "MESSAGE-INTEGRITY at " + std::to_string(a.offset) + " is " +
                                std::to_string(a.value.size()) + " bytes, not 20"};
  if (d == dialect::rfc && a.type == attr::fingerprint) {
    if (a.value.size() != 4)
      throw failure{a.offset, "FINGERPRINT at " + std::to_string(a.offset) + " is " +
                                  std::to_string(a.value.size()) + " bytes, not 4"};
    if (next != end)
      throw failure{a.offset, "FINGERPRINT at " + std::to_string(a.offset) + " is not the last attribute"};
  }
}

std::optional<boost::asio::ip::address> read_ip(std::span<const std::uint8_t> address, std::uint8_t family) {
  if (family == 1 && address.size() == 4)
    return boost::asio::ip::address_v4({address[0], address[1], address[2], address[3]});
  if (family == 2 && address.size() == 16) {
    boost::asio::ip::address_v6::bytes_type v6{};
    std::copy(address.begin(), address.end(), v6.begin());
    return boost::asio::ip::address_v6(v6);
  }
  return std::nullopt;
}

// MAPPED-ADDRESS and its XOR form once unmasked: reserved byte, family, port
// (network order), address. nullopt for an unknown family or a wrong length.
std::optional<boost::asio::ip::udp::endpoint> read_endpoint(std::span<const std::uint8_t> value) {
  if (value.size() < 4) return std::nullopt;
  wire::reader in(value);
  in.skip(1, "the reserved byte");
  const std::uint8_t family = in.u8("the address family");
  const std::uint16_t port = in.u16be("the port");
  const auto ip = read_ip(in.rest(), family);
  if (!ip) return std::nullopt;
  return boost::asio::ip::udp::endpoint(*ip, port);
}

// The 16 bytes an IPv6 XOR address is masked with: cookie then transaction ID.
std::array<std::uint8_t, 16> xor_mask(std::uint32_t cookie, const transaction_id& id) {
  std::array<std::uint8_t, 16> mask{};
  for (int i = 0; i < 4; ++i) mask[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(cookie >> (24 - 8 * i));
  std::copy(id.begin(), id.end(), mask.begin() + 4);
  return mask;
}

struct name_entry {
  std::uint16_t value;
  const char* name;
};

constexpr name_entry method_names[] = {
    {0x001, "Binding"},          {0x002, "SharedSecret"},   {0x003, "Allocate"},
    {0x004, "Refresh"},          {0x006, "Send"},           {0x007, "Data"},
    {0x008, "CreatePermission"}, {0x009, "ChannelBind"},    {0x00A, "Connect"},
    {0x00B, "ConnectionBind"},   {0x00C, "ConnectionAttempt"},
};

// Numbers both dialects give the same meaning, or that RFC servers answering an
// MS-TURN request send anyway.
constexpr name_entry common_attribute_names[] = {
    {attr::mapped_address, "MAPPED-ADDRESS"},
    {attr::username, "USERNAME"},
    {attr::message_integrity, "MESSAGE-INTEGRITY"},
    {attr::error_code, "ERROR-CODE"},
    {attr::unknown_attributes, "UNKNOWN-ATTRIBUTES"},
    {attr::lifetime, "LIFETIME"},
    {0x0013, "DATA"},
    {attr::requested_address_family, "REQUESTED-ADDRESS-FAMILY"},
    {attr::xor_mapped_address, "XOR-MAPPED-ADDRESS"},
    {attr::xor_relayed_address, "XOR-RELAYED-ADDRESS"},
    {attr::requested_transport, "REQUESTED-TRANSPORT"},
    {attr::software, "SOFTWARE"},
    {attr::alternate_server, "ALTERNATE-SERVER"},
    {attr::fingerprint, "FINGERPRINT"},
    {attr::response_origin, "RESPONSE-ORIGIN"},
};

constexpr name_entry rfc_attribute_names[] = {
    {0x0002, "RESPONSE-ADDRESS"},
    {0x0003, "CHANGE-REQUEST"},
    {0x0004, "SOURCE-ADDRESS"},
    {0x0005, "CHANGED-ADDRESS"},
    {0x0007, "PASSWORD"},
    {0x000B, "REFLECTED-FROM"},
    {0x000C, "CHANNEL-NUMBER"},
    {0x0012, "XOR-PEER-ADDRESS"},
    {attr::realm, "REALM"},
    {attr::nonce, "NONCE"},
    {0x0018, "EVEN-PORT"},
    {0x001A, "DONT-FRAGMENT"},
    {0x001C, "MESSAGE-INTEGRITY-SHA256"},
    {0x001D, "PASSWORD-ALGORITHM"},
    {0x001E, "USERHASH"},
    {0x0022, "RESERVATION-TOKEN"},
    {0x0024, "PRIORITY"},
    {0x0025, "USE-CANDIDATE"},
    {0x0026, "PADDING"},
    {0x0027, "RESPONSE-PORT"},
    {0x002A, "CONNECTION-ID"},
    {0x8000, "ADDITIONAL-ADDRESS-FAMILY"},
    {0x8001, "ADDRESS-ERROR-CODE"},
    {0x8002, "PASSWORD-ALGORITHMS"},
    {0x8003, "ALTERNATE-DOMAIN"},
    {0x8004, "ICMP"},
    {0x8025, "TRANSACTION-TRANSMIT-COUNTER"},
    {0x8027, "CACHE-TIMEOUT"},
    {0x8029, "ICE-CONTROLLED"},
    {0x802A, "ICE-CONTROLLING"},
    {0x802C, "OTHER-ADDRESS"},
    {0x802D, "ECN-CHECK"},
    {0x802E, "THIRD-PARTY-AUTHORIZATION"},
    {0x8030, "MOBILITY-TICKET"},
};

// [MS-TURN] 2.2.2. 0x8020 is the XOR-MAPPED-ADDRESS number of the STUN draft
// MS-TURN builds on.
constexpr name_entry ms_turn_attribute_names[] = {
    {attr::ms_alternate_server, "ALTERNATE-SERVER"},
    {attr::ms_magic_cookie, "MAGIC-COOKIE"},
    {attr::ms_bandwidth, "BANDWIDTH"},
    {0x0011, "DESTINATION-ADDRESS"},
    {0x0012, "REMOTE-ADDRESS"},
    {attr::realm, "NONCE"},
    {attr::nonce, "REALM"},
    {attr::ms_version, "MS-VERSION"},
    {0x8020, "XOR-MAPPED-ADDRESS"},
    {attr::ms_sequence_number, "MS-SEQUENCE-NUMBER"},
    {attr::ms_service_quality, "MS-SERVICE-QUALITY"},
};

template <std::size_t N> const char* lookup(const name_entry (&table)[N], std::uint16_t value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return nullptr;
}

} // namespace

std::uint16_t realm_type(dialect d) { return d == dialect::ms_turn ? attr::nonce : attr::realm; }
std::uint16_t nonce_type(dialect d) { return d == dialect::ms_turn ? attr::realm : attr::nonce; }

const attribute* message::find(std::uint16_t type) const {
  for (const auto& a : attributes)
    if (a.type == type) return &a;
  return nullptr;
}

// The type's 14 bits: M11..M7 C1 M6..M4 C0 M3..M0 (RFC 5389 §6).
std::uint16_t message_type(std::uint16_t method, message_class klass) {
  const unsigned k = static_cast<unsigned>(klass);
  const unsigned m = method & 0x0FFFu;
  return static_cast<std::uint16_t>((m & 0x000F) | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (k & 1) << 4 |
                                    (k & 2) << 7);
}

std::uint16_t method_of(std::uint16_t type) {
  return static_cast<std::uint16_t>((type & 0x000F) | (type >> 1 & 0x0070) | (type >> 2 & 0x0F80));
}

message_class class_of(std::uint16_t type) {
  return static_cast<message_class>((type >> 4 & 1) | (type >> 7 & 2));
}

wire::decoded<message> decode(std::span<const std::uint8_t> bytes, dialect d) {
  return wire::decoding([&] {
    if (bytes.size() < header_size)
      throw failure{0, "shorter than a STUN header (20 bytes): " + std::to_string(bytes.size()) + " bytes"};
    wire::reader in(bytes);
    message m;
    const std::uint16_t type = in.u16be("the message type");
    check_header(bytes, in.u16be("the message length"), d);
    m.method = method_of(type);
    m.klass = class_of(type);
    m.cookie = in.u32be("the magic cookie");
    const auto id = in.take(m.id.size(), "the transaction ID");
    std::copy(id.begin(), id.end(), m.id.begin());
    // Attributes are read one at a time, never counted or reserved up front.
    while (!in.at_end()) {
      attribute a = read_attribute(in, d);
      check_attribute(a, in.index(), bytes.size(), d);
      m.attributes.push_back(std::move(a));
    }
    return m;
  });
}

std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < header_size) return std::nullopt;
  return header_size + wire::reader(bytes).at(2, "the message length").u16be("the message length");
}

// Judged on what the bytes show, so a stream's first bytes can be judged too.
// Under 8 bytes: the first two bits, and a method below 0x100 (every registered
// one is, MS-TURN's too), which tells a TLS record (0x14-0x17) apart. From 8
// bytes: the magic cookie. Old RFC 3489 and MS-TURN messages may carry none;
// without it, only a whole header whose length matches the bytes exactly (a
// datagram) tells STUN from another protocol.
bool looks_like_stun(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || (bytes[0] & 0xC0) != 0) return false;
  if (bytes.size() < 8) return bytes[0] <= 0x03;
  wire::reader in(bytes);
  in.skip(2, "the message type");
  const std::size_t length = in.u16be("the message length");
  if (in.u32be("the magic cookie") == magic_cookie) return true;
  return bytes.size() >= header_size && length == bytes.size() - header_size;
}

std::optional<boost::asio::ip::udp::endpoint> read_address(const attribute& a) { return read_endpoint(a.value); }

std::optional<boost::asio::ip::udp::endpoint> read_xor_address(const attribute& a, std::uint32_t cookie,
                                                               const transaction_id& id) {
  if (a.value.size() < 4) return std::nullopt;
  std::vector<std::uint8_t> plain = a.value;
  const auto mask = xor_mask(cookie, id);
  // The port is masked with the cookie's top half, the address with as much of the mask as it is long.
  plain[2] ^= mask[0];
  plain[3] ^= mask[1];
  for (std::size_t i = 4; i < plain.size() && i - 4 < mask.size(); ++i) plain[i] ^= mask[i - 4];
  return read_endpoint(plain);
}

std::optional<error_value> read_error_code(const attribute& a) {
  if (a.value.size() < 4) return std::nullopt;
  const int klass = a.value[2] & 0x07;
  const int number = a.value[3];
  if (klass < 3 || klass > 6 || number > 99) return std::nullopt;
  return error_value{klass * 100 + number, std::string(a.value.begin() + 4, a.value.end())};
}

std::optional<std::uint32_t> read_u32(const attribute& a) {
  if (a.value.size() != 4) return std::nullopt;
  return wire::reader(a.value).u32be("the value");
}

std::string read_text(const attribute& a) { return std::string(a.value.begin(), a.value.end()); }

std::string method_name(std::uint16_t method) {
  if (const char* name = lookup(method_names, method)) return name;
  return hex(method, 3);
}

std::string class_name(message_class klass) {
  switch (klass) {
  case message_class::request:
    return "request";
  case message_class::indication:
    return "indication";
  case message_class::success:
    return "success response";
  case message_class::error:
    return "error response";
  }
  return "class " + std::to_string(static_cast<int>(klass));
}

std::string attribute_name(std::uint16_t type, dialect d) {
  const char* name = d == dialect::ms_turn ? lookup(ms_turn_attribute_names, type) : lookup(rfc_attribute_names, type);
  if (!name) name = lookup(common_attribute_names, type);
  return name ? name : hex(type, 4);
}

} // namespace edgeprobe::stun
