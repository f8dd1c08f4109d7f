// Parsing DNS messages. A reader over the whole message: every read checks the
// bytes that remain, so a lying count or length ends parsing with an error.
#include "wire/dns/codec.hpp"

#include "wire/reader.hpp"

namespace edgeprobe::dns {

namespace {

using wire::failure;

constexpr std::size_t max_wire_name = 255; // RFC 1035 2.3.4, the length bytes included
constexpr std::size_t header_size = 12;

// Escapes a label byte as dig prints it: '.' and '\\' with a backslash, bytes
// outside printable ASCII as \DDD, so every name stays one unambiguous line.
void append_label_byte(std::string& out, std::uint8_t c) {
  if (c == '.' || c == '\\' || c == '"') {
    out.push_back('\\');
    out.push_back(static_cast<char>(c));
  } else if (c < 0x21 || c > 0x7e) {
    out.push_back('\\');
    out.push_back(static_cast<char>('0' + c / 100));
    out.push_back(static_cast<char>('0' + c / 10 % 10));
    out.push_back(static_cast<char>('0' + c % 10));
  } else {
    out.push_back(static_cast<char>(c));
  }
}

// Every read is in network order and a shortfall reads "message ends before ...".
wire::reader message_reader(std::span<const std::uint8_t> bytes) {
  wire::reader in(bytes);
  in.subject("message");
  return in;
}

std::uint16_t u16(wire::reader& in) { return in.u16be("a 16-bit field"); }

// Two 16-bit halves, as the codec has always read them: a 32-bit field cut
// short is reported where its second half should start.
std::uint32_t u32(wire::reader& in) {
  const std::uint32_t high = u16(in);
  return high << 16 | u16(in);
}

// A possibly compressed name. Each pointer must point before the pointer itself,
// so following them always moves backwards and ends. The reader moves past the
// name as it appears here (up to its first pointer); the labels a pointer leads
// to are read where they are, each checked against the end of the message.
std::string read_name(wire::reader& in) {
  const auto bytes = in.bytes();
  std::string out;
  std::size_t at = in.index();
  std::size_t wire_length = 0;
  bool jumped = false;
  for (;;) {
    if (at >= bytes.size()) throw failure{at, "name runs past the end of the message"};
    const std::uint8_t len = bytes[at];
    if ((len & 0xC0) == 0xC0) {
      if (at + 1 >= bytes.size()) throw failure{at, "compression pointer runs past the end of the message"};
      const std::size_t target = static_cast<std::size_t>(len & 0x3F) << 8 | bytes[at + 1];
      if (target >= at) throw failure{at, "compression pointer does not point backwards (a loop)"};
      if (!jumped) in.seek(at + 2, "the compression pointer");
      jumped = true;
      at = target;
      continue;
    }
    if ((len & 0xC0) != 0) throw failure{at, "label type " + std::to_string(len >> 6) + " is not supported"};
    wire_length += 1 + len;
    if (wire_length > max_wire_name) throw failure{at, "name is longer than 255 bytes"};
    if (len == 0) {
      if (!jumped) in.seek(at + 1, "the end of the name");
      return out;
    }
    if (at + 1 + len > bytes.size()) throw failure{at, "label runs past the end of the message"};
    if (!out.empty()) out.push_back('.');
    for (std::size_t i = 0; i < len; ++i) append_label_byte(out, bytes[at + 1 + i]);
    at += 1 + len;
  }
}

std::string character_string(wire::reader& in) {
  const std::uint8_t len = in.u8("a byte");
  const auto bytes = in.take(len, "the end of a character-string");
  return std::string(bytes.begin(), bytes.end());
}

rdata parse_rdata(wire::reader& in, std::uint16_t rtype, std::size_t end) {
  const std::size_t length = end - in.pos();
  switch (rtype) {
  case type::a:
  case type::aaaa: {
    const std::size_t want = rtype == type::a ? 4 : 16;
    if (length != want)
      throw failure{in.pos(), type_name(rtype) + " rdata is " + std::to_string(length) + " bytes, not " +
                                  std::to_string(want)};
    const auto bytes = in.take(want, "the address");
    if (rtype == type::a) return boost::asio::ip::address_v4({bytes[0], bytes[1], bytes[2], bytes[3]});
    boost::asio::ip::address_v6::bytes_type v6{};
    std::copy(bytes.begin(), bytes.end(), v6.begin());
    return boost::asio::ip::address_v6(v6);
  }
  case type::cname:
  case type::ns:
  case type::ptr:
    return name_rdata{read_name(in)};
  case type::mx: {
    mx_rdata mx;
    mx.preference = u16(in);
    mx.exchange = read_name(in);
    return mx;
  }
  case type::srv: {
    srv_rdata srv;
    srv.priority = u16(in);
    srv.weight = u16(in);
    srv.port = u16(in);
    srv.target = read_name(in);
    return srv;
  }
  case type::txt: {
    txt_rdata txt;
    if (length == 0) throw failure{in.pos(), "TXT rdata is empty"};
    while (in.pos() < end) txt.strings.push_back(character_string(in));
    return txt;
  }
  case type::caa: {
    caa_rdata caa;
    caa.flags = in.u8("a byte");
    caa.tag = character_string(in);
    if (caa.tag.empty()) throw failure{in.pos(), "CAA tag is empty"};
    if (in.pos() > end) throw failure{in.pos(), "CAA tag runs past its rdata"};
    const auto value = in.take(end - in.pos(), "the CAA value");
    caa.value.assign(value.begin(), value.end());
    return caa;
  }
  case type::soa: {
    soa_rdata soa;
    soa.mname = read_name(in);
    soa.rname = read_name(in);
    soa.serial = u32(in);
    soa.refresh = u32(in);
    soa.retry = u32(in);
    soa.expire = u32(in);
    soa.minimum = u32(in);
    return soa;
  }
  default: {
    const auto bytes = in.take(length, "the rdata");
    return raw_rdata{{bytes.begin(), bytes.end()}};
  }
  }
}

record parse_record(wire::reader& in) {
  record r;
  r.name = read_name(in);
  r.type = u16(in);
  r.klass = u16(in);
  r.ttl = u32(in);
  const std::uint16_t rdlength = u16(in);
  const std::size_t start = in.pos();
  in.need(rdlength, "the end of the rdata");
  r.data = parse_rdata(in, r.type, start + rdlength);
  // Fields that disagree with the declared length mean the record cannot be trusted.
  if (in.pos() != start + rdlength)
    throw failure{start, type_name(r.type) + " rdata is " + std::to_string(rdlength) + " bytes but its fields use " +
                             std::to_string(in.pos() - start)};
  return r;
}

} // namespace

std::string label_text(std::string_view label) {
  std::string out;
  for (const char c : label) append_label_byte(out, static_cast<std::uint8_t>(c));
  return out;
}

wire::decoded<message> parse_message(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    wire::reader in = message_reader(bytes);
    message m;
    if (bytes.size() < header_size) throw failure{0, "shorter than a DNS header (12 bytes)"};
    m.head.id = u16(in);
    const std::uint16_t flags = u16(in);
    m.head.qr = flags & 0x8000;
    m.head.opcode = static_cast<std::uint8_t>(flags >> 11 & 0x0F);
    m.head.aa = flags & 0x0400;
    m.head.tc = flags & 0x0200;
    m.head.rd = flags & 0x0100;
    m.head.ra = flags & 0x0080;
    m.head.ad = flags & 0x0020;
    m.head.cd = flags & 0x0010;
    m.head.rcode = static_cast<std::uint8_t>(flags & 0x0F);
    const std::uint16_t qdcount = u16(in), ancount = u16(in), nscount = u16(in), arcount = u16(in);
    // Counts are read one record at a time, never used to reserve memory up front.
    for (std::uint16_t i = 0; i < qdcount; ++i) {
      question q;
      q.name = read_name(in);
      q.type = u16(in);
      q.klass = u16(in);
      m.questions.push_back(std::move(q));
    }
    for (std::uint16_t i = 0; i < ancount; ++i) m.answers.push_back(parse_record(in));
    for (std::uint16_t i = 0; i < nscount; ++i) m.authority.push_back(parse_record(in));
    for (std::uint16_t i = 0; i < arcount; ++i) m.additional.push_back(parse_record(in));
    return m;
  });
}

} // namespace edgeprobe::dns
