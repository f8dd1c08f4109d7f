// Encoding DNS messages (queries for tests and tools, answers for the responder).
#include "wire/dns/codec.hpp"

#include "wire/writer.hpp"

namespace edgeprobe::dns {

namespace {

// The message so far, in network order, and whether every field fit its
// encoding: the first one that does not makes encode_message give nullopt.
class message_writer {
public:
  bool ok = true;
  wire::writer out;

  void u8(std::uint8_t v) { out.u8(v); }
  void u16(std::uint16_t v) { out.u16be(v); }
  void u32(std::uint32_t v) { out.u32be(v); }

  // A name in presentation form: labels split on unescaped dots; "\." and "\DDD"
  // escapes as parse_message writes them.
  void name(std::string_view text) {
    if (!text.empty() && text.back() == '.' && (text.size() < 2 || text[text.size() - 2] != '\\'))
      text.remove_suffix(1);
    const std::size_t start = out.size();
    std::string label;
    auto flush = [&] {
      if (label.empty() || label.size() > 63) ok = false;
      u8(static_cast<std::uint8_t>(label.size()));
      out.text(label);
      label.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '.') {
        flush();
      } else if (c == '\\' && i + 3 < text.size() && isdigit3(text.substr(i + 1, 3))) {
        label.push_back(static_cast<char>((text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0')));
        i += 3;
      } else if (c == '\\' && i + 1 < text.size()) {
        label.push_back(text[++i]);
      } else {
        label.push_back(c);
      }
    }
    if (!text.empty()) flush();
    u8(0);
    if (out.size() - start > 255) ok = false;
  }

  void character_string(std::string_view s) {
    if (s.size() > 255) ok = false;
    u8(static_cast<std::uint8_t>(s.size()));
    out.text(s);
  }

  // RDLENGTH first, patched once the rdata is written and its size known.
  void rdata(const dns::rdata& data) {
    const std::size_t length_at = out.size();
    u16(0);
    std::visit([this](const auto& d) { body(d); }, data);
    const std::size_t length = out.size() - length_at - 2;
    if (length > 0xFFFF) ok = false;
    out.patch_u16be(length_at, static_cast<std::uint16_t>(length));
  }

private:
  static bool isdigit3(std::string_view s) {
    if (s.size() != 3) return false;
    for (char c : s)
      if (c < '0' || c > '9') return false;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0') < 256;
  }

  void body(const boost::asio::ip::address_v4& a) {
    for (auto b : a.to_bytes()) u8(b);
  }
  void body(const boost::asio::ip::address_v6& a) {
    for (auto b : a.to_bytes()) u8(b);
  }
  void body(const name_rdata& d) { name(d.name); }
  void body(const mx_rdata& d) {
    u16(d.preference);
    name(d.exchange);
  }
  void body(const srv_rdata& d) {
    u16(d.priority);
    u16(d.weight);
    u16(d.port);
    name(d.target);
  }
  void body(const txt_rdata& d) {
    if (d.strings.empty()) ok = false;
    for (const auto& s : d.strings) character_string(s);
  }
  void body(const caa_rdata& d) {
    u8(d.flags);
    character_string(d.tag);
    out.text(d.value);
  }
  void body(const soa_rdata& d) {
    name(d.mname);
    name(d.rname);
    for (auto v : {d.serial, d.refresh, d.retry, d.expire, d.minimum}) u32(v);
  }
  void body(const raw_rdata& d) { out.bytes(d.bytes); }
};

} // namespace

std::optional<std::vector<std::uint8_t>> encode_message(const message& m) {
  message_writer w;
  w.u16(m.head.id);
  std::uint16_t flags = static_cast<std::uint16_t>((m.head.opcode & 0x0F) << 11 | (m.head.rcode & 0x0F));
  if (m.head.qr) flags |= 0x8000;
  if (m.head.aa) flags |= 0x0400;
  if (m.head.tc) flags |= 0x0200;
  if (m.head.rd) flags |= 0x0100;
  if (m.head.ra) flags |= 0x0080;
  if (m.head.ad) flags |= 0x0020;
  if (m.head.cd) flags |= 0x0010;
  w.u16(flags);
  for (auto n : {m.questions.size(), m.answers.size(), m.authority.size(), m.additional.size()}) {
    if (n > 0xFFFF) return std::nullopt;
    w.u16(static_cast<std::uint16_t>(n));
  }
  for (const auto& q : m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.klass);
  }
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const auto& r : *section) {
      w.name(r.name);
      w.u16(r.type);
      w.u16(r.klass);
      w.u32(r.ttl);
      w.rdata(r.data);
    }
  }
  if (!w.ok) return std::nullopt;
  return w.out.take();
}

std::optional<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name, std::uint16_t qtype,
                                                     bool recursion_desired) {
  message m;
  m.head.id = id;
  m.head.rd = recursion_desired;
  m.questions.push_back({std::string(name), qtype, class_in});
  return encode_message(m);
}

} // namespace edgeprobe::dns
