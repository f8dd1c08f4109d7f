// Parsing DNS messages. A reader over the whole message: every read checks the
// bytes that remain, so a lying count or length ends parsing with an error.
#include "wire/dns/codec.hpp"


namespace edgeprobe::dns {

namespace {

constexpr std::size_t max_wire_name = 255; // RFC 1035 2.3.4, the length bytes included
constexpr std::size_t header_size = 12;

// Thrown only inside this file and caught in parse_message, which turns it into a
// value: it unwinds the nested reads of a record in one step.
struct failure {
  std::size_t offset;
  std::string what;
};

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

class reader {
public:
  explicit reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t pos() const { return pos_; }

  std::uint8_t u8() {
    need(1, "a byte");
    return bytes_[pos_++];
  }
  std::uint16_t u16() {
    need(2, "a 16-bit field");
    const auto v = static_cast<std::uint16_t>(bytes_[pos_] << 8 | bytes_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32() {
    const std::uint32_t high = u16();
    return high << 16 | u16();
  }
  std::span<const std::uint8_t> take(std::size_t n, const char* what) {
    need(n, what);
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  // A possibly compressed name. Each pointer must point before the pointer itself,
  // so following them always moves backwards and ends.
  std::string name() {
    std::string out;
    std::size_t at = pos_;
    std::size_t wire_length = 0;
    bool jumped = false;
    for (;;) {
      if (at >= bytes_.size()) throw failure{at, "name runs past the end of the message"};
      const std::uint8_t len = bytes_[at];
      if ((len & 0xC0) == 0xC0) {
        if (at + 1 >= bytes_.size()) throw failure{at, "compression pointer runs past the end of the message"};
        const std::size_t target = static_cast<std::size_t>(len & 0x3F) << 8 | bytes_[at + 1];
        if (target >= at) throw failure{at, "compression pointer does not point backwards (a loop)"};
        if (!jumped) pos_ = at + 2;
        jumped = true;
        at = target;
        continue;
      }
      if ((len & 0xC0) != 0) throw failure{at, "label type " + std::to_string(len >> 6) + " is not supported"};
      wire_length += 1 + len;
      if (wire_length > max_wire_name) throw failure{at, "name is longer than 255 bytes"};
      if (len == 0) {
        if (!jumped) pos_ = at + 1;
        return out;
      }
      if (at + 1 + len > bytes_.size()) throw failure{at, "label runs past the end of the message"};
      if (!out.empty()) out.push_back('.');
      for (std::size_t i = 0; i < len; ++i) append_label_byte(out, bytes_[at + 1 + i]);
      at += 1 + len;
    }
  }

  void need(std::size_t n, const char* what) const {
    if (bytes_.size() - pos_ < n) throw failure{pos_, std::string("message ends before ") + what};
  }

private:

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

std::string character_string(reader& in) {
  const std::uint8_t len = in.u8();
  const auto bytes = in.take(len, "the end of a character-string");
  return std::string(bytes.begin(), bytes.end());
}

rdata parse_rdata(reader& in, std::uint16_t rtype, std::size_t end) {
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
    return name_rdata{in.name()};
  case type::mx: {
    mx_rdata mx;
    mx.preference = in.u16();
    mx.exchange = in.name();
    return mx;
  }
  case type::srv: {
    srv_rdata srv;
    srv.priority = in.u16();
    srv.weight = in.u16();
    srv.port = in.u16();
    srv.target = in.name();
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
    caa.flags = in.u8();
    caa.tag = character_string(in);
    if (caa.tag.empty()) throw failure{in.pos(), "CAA tag is empty"};
    if (in.pos() > end) throw failure{in.pos(), "CAA tag runs past its rdata"};
    const auto value = in.take(end - in.pos(), "the CAA value");
    caa.value.assign(value.begin(), value.end());
    return caa;
  }
  case type::soa: {
    soa_rdata soa;
    soa.mname = in.name();
    soa.rname = in.name();
    soa.serial = in.u32();
    soa.refresh = in.u32();
    soa.retry = in.u32();
    soa.expire = in.u32();
    soa.minimum = in.u32();
    return soa;
  }
  default: {
    const auto bytes = in.take(length, "the rdata");
    return raw_rdata{{bytes.begin(), bytes.end()}};
  }
  }
}

record parse_record(reader& in) {
  record r;
  r.name = in.name();
  r.type = in.u16();
  r.klass = in.u16();
  r.ttl = in.u32();
  const std::uint16_t rdlength = in.u16();
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

parse_result parse_message(std::span<const std::uint8_t> bytes) {
  parse_result out;
  try {
    reader in(bytes);
    message m;
    if (bytes.size() < header_size) throw failure{0, "shorter than a DNS header (12 bytes)"};
    m.head.id = in.u16();
    const std::uint16_t flags = in.u16();
    m.head.qr = flags & 0x8000;
    m.head.opcode = static_cast<std::uint8_t>(flags >> 11 & 0x0F);
    m.head.aa = flags & 0x0400;
    m.head.tc = flags & 0x0200;
    m.head.rd = flags & 0x0100;
    m.head.ra = flags & 0x0080;
    m.head.ad = flags & 0x0020;
    m.head.cd = flags & 0x0010;
    m.head.rcode = static_cast<std::uint8_t>(flags & 0x0F);
    const std::uint16_t qdcount = in.u16(), ancount = in.u16(), nscount = in.u16(), arcount = in.u16();
    // Counts are read one record at a time, never used to reserve memory up front.
    for (std::uint16_t i = 0; i < qdcount; ++i) {
      question q;
      q.name = in.name();
      q.type = in.u16();
      q.klass = in.u16();
      m.questions.push_back(std::move(q));
    }
    for (std::uint16_t i = 0; i < ancount; ++i) m.answers.push_back(parse_record(in));
    for (std::uint16_t i = 0; i < nscount; ++i) m.authority.push_back(parse_record(in));
    for (std::uint16_t i = 0; i < arcount; ++i) m.additional.push_back(parse_record(in));
    out.value = std::move(m);
  } catch (const failure& f) {
    out.error = {f.offset, f.what};
  }
  return out;
}

} // namespace edgeprobe::dns
