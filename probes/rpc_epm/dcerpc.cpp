// DCE/RPC connection-oriented PDUs, protocol towers and endpoint mapper stubs.
// One reader over the bytes: every read checks what remains, so a lying count
// or length ends decoding with an error at the offset where it was found.
#include "probes/rpc_epm/dcerpc.hpp"

#include <boost/asio/ip/address_v4.hpp>

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace edgeprobe::dcerpc {

namespace {

// Thrown only inside this file and caught by each public decoder, which turns
// it into a value: it unwinds nested reads (a tower inside a stub) in one step.
struct failure {
  std::size_t offset;
  std::string what;
};

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string hex8(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

// Little-endian NDR reader. Positions are indexes into `bytes`, plus `base`
// for error offsets when `bytes` is a part of what the caller handed us.
// NDR alignment is relative to the start of `bytes` (the stub, or the PDU).
class reader {
public:
  explicit reader(std::span<const std::uint8_t> bytes, std::size_t base = 0) : bytes_(bytes), base_(base) {}

  std::size_t pos() const { return base_ + pos_; }
  std::size_t index() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  void need(std::size_t n, const std::string& what) const {
    if (remaining() < n) throw failure{pos(), "ends before " + what};
  }
  std::uint8_t u8(const char* what) {
    need(1, what);
    return bytes_[pos_++];
  }
  std::uint16_t u16(const char* what) {
    need(2, what);
    const auto v = static_cast<std::uint16_t>(bytes_[pos_] | bytes_[pos_ + 1] << 8);
    pos_ += 2;
    return v;
  }
  std::uint16_t u16be(const char* what) {
    need(2, what);
    const auto v = static_cast<std::uint16_t>(bytes_[pos_] << 8 | bytes_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32(const char* what) {
    need(4, what);
    const std::uint32_t v =
        static_cast<std::uint32_t>(bytes_[pos_]) | static_cast<std::uint32_t>(bytes_[pos_ + 1]) << 8 |
        static_cast<std::uint32_t>(bytes_[pos_ + 2]) << 16 | static_cast<std::uint32_t>(bytes_[pos_ + 3]) << 24;
    pos_ += 4;
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t n, const std::string& what) {
    need(n, what);
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::span<const std::uint8_t> rest() {
    auto out = bytes_.subspan(pos_);
    pos_ = bytes_.size();
    return out;
  }
  uuid read_uuid(const char* what) { return uuid_from_wire(take(16, what).first<16>()); }
  syntax_id read_syntax(const char* what) {
    syntax_id s;
    s.id = read_uuid(what);
    s.major = u16(what);
    s.minor = u16(what);
    return s;
  }
  void align(std::size_t to, const std::string& what) {
    const std::size_t pad = (to - pos_ % to) % to;
    need(pad, what);
    pos_ += pad;
  }

private:
  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

class writer {
public:
  std::vector<std::uint8_t> bytes;

  void u8(std::uint8_t v) { bytes.push_back(v); }
  void u16(std::uint16_t v) {
    bytes.push_back(static_cast<std::uint8_t>(v));
    bytes.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  void u16be(std::uint16_t v) {
    bytes.push_back(static_cast<std::uint8_t>(v >> 8));
    bytes.push_back(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void raw(std::span<const std::uint8_t> b) { bytes.insert(bytes.end(), b.begin(), b.end()); }
  void id(const uuid& u) {
    const auto w = to_wire(u);
    raw(w);
  }
  void syntax(const syntax_id& s) {
    id(s.id);
    u16(s.major);
    u16(s.minor);
  }
  void align(std::size_t to) {
    while (bytes.size() % to != 0) bytes.push_back(0);
  }
};

// NUL-terminated text as sent: everything up to the first NUL (all of it when
// there is none).
std::string text_until_nul(std::span<const std::uint8_t> b) {
  const auto end = std::find(b.begin(), b.end(), std::uint8_t{0});
  return std::string(b.begin(), end);
}

// The text followed by its NUL, when the NUL still fits `limit` bytes: a value
// that arrived filling its field without a NUL goes back the same way.
std::vector<std::uint8_t> text_with_nul(std::string_view text, std::size_t limit) {
  std::vector<std::uint8_t> out(text.begin(), text.end());
  if (out.size() < limit) out.push_back(0);
  return out;
}

// ---------------------------------------------------------------- PDU bodies

// Where the stub of a request/response/fault ends: before the auth verifier
// (sec_trailer + auth_length bytes) and the padding the trailer declares.
std::size_t stub_end(std::span<const std::uint8_t> pdu, const header& h, std::size_t body_start) {
  if (h.auth_length == 0) return pdu.size();
  const std::size_t trailer = pdu.size() - h.auth_length - 8; // decode_header checked that it fits
  const std::size_t pad = pdu[trailer + 2];                   // auth_pad_length
  if (trailer < body_start + pad)
    throw failure{trailer + 2, "auth padding of " + std::to_string(pad) + " bytes runs into the PDU body"};
  return trailer - pad;
}

// Where bind-like bodies end: before the auth verifier, if any.
std::size_t body_end(std::span<const std::uint8_t> pdu, const header& h) {
  return h.auth_length == 0 ? pdu.size() : pdu.size() - h.auth_length - 8;
}

bind_pdu decode_bind(std::span<const std::uint8_t> pdu, const header& h) {
  reader in(pdu.first(body_end(pdu, h)));
  in.take(header_size, "the header");
  bind_pdu p;
  p.head = h;
  p.max_xmit_frag = in.u16("max_xmit_frag");
  p.max_recv_frag = in.u16("max_recv_frag");
  p.assoc_group = in.u32("assoc_group_id");
  const std::uint8_t n = in.u8("the number of presentation contexts");
  in.take(3, "the context list's reserved bytes");
  for (std::uint8_t i = 0; i < n; ++i) {
    presentation_context c;
    c.id = in.u16("a presentation context id");
    const std::uint8_t n_transfer = in.u8("the number of transfer syntaxes");
    in.u8("a presentation context's reserved byte");
    c.abstract_syntax = in.read_syntax("an abstract syntax");
    for (std::uint8_t k = 0; k < n_transfer; ++k) c.transfer_syntaxes.push_back(in.read_syntax("a transfer syntax"));
    p.contexts.push_back(std::move(c));
  }
  return p;
}

bind_ack_pdu decode_bind_ack(std::span<const std::uint8_t> pdu, const header& h) {
  reader in(pdu.first(body_end(pdu, h)));
  in.take(header_size, "the header");
  bind_ack_pdu p;
  p.head = h;
  p.max_xmit_frag = in.u16("max_xmit_frag");
  p.max_recv_frag = in.u16("max_recv_frag");
  p.assoc_group = in.u32("assoc_group_id");
  const std::uint16_t addr_len = in.u16("the secondary address length");
  const auto addr = in.take(addr_len, "the end of the secondary address");
  // port_spec counts its NUL; drop exactly that one.
  p.secondary_address.assign(addr.begin(), addr.end());
  if (!p.secondary_address.empty() && p.secondary_address.back() == '\0') p.secondary_address.pop_back();
  in.align(4, "the padding after the secondary address");
  const std::uint8_t n = in.u8("the number of results");
  in.take(3, "the result list's reserved bytes");
  for (std::uint8_t i = 0; i < n; ++i) {
    context_result r;
    r.result = in.u16("a context result");
    r.reason = in.u16("a context result's reason");
    r.transfer_syntax = in.read_syntax("a result's transfer syntax");
    p.results.push_back(r);
  }
  return p;
}

bind_nak_pdu decode_bind_nak(std::span<const std::uint8_t> pdu, const header& h) {
  reader in(pdu.first(body_end(pdu, h)));
  in.take(header_size, "the header");
  bind_nak_pdu p;
  p.head = h;
  p.reject_reason = in.u16("the reject reason");
  // [MS-RPCE] allows a bare reason; the version list and what follows it (a
  // signature, extended error information) are optional.
  if (in.remaining() == 0) return p;
  const std::uint8_t n = in.u8("the number of supported versions");
  for (std::uint8_t i = 0; i < n; ++i) {
    version v;
    v.major = in.u8("a supported version");
    v.minor = in.u8("a supported version");
    p.versions.push_back(v);
  }
  return p;
}

request_pdu decode_request(std::span<const std::uint8_t> pdu, const header& h) {
  reader in(pdu);
  in.take(header_size, "the header");
  request_pdu p;
  p.head = h;
  p.alloc_hint = in.u32("alloc_hint");
  p.context_id = in.u16("the context id");
  p.opnum = in.u16("the opnum");
  if (h.flags & pfc::object_uuid) p.object = in.read_uuid("the object UUID");
  const std::size_t end = stub_end(pdu, h, in.index());
  const auto stub = in.take(end - in.index(), "the stub");
  p.stub.assign(stub.begin(), stub.end());
  return p;
}

response_pdu decode_response(std::span<const std::uint8_t> pdu, const header& h) {
  reader in(pdu);
  in.take(header_size, "the header");
  response_pdu p;
  p.head = h;
  p.alloc_hint = in.u32("alloc_hint");
  p.context_id = in.u16("the context id");
  p.cancel_count = in.u8("the cancel count");
  in.u8("the reserved byte");
  const std::size_t end = stub_end(pdu, h, in.index());
  const auto stub = in.take(end - in.index(), "the stub");
  p.stub.assign(stub.begin(), stub.end());
  return p;
}

fault_pdu decode_fault(std::span<const std::uint8_t> pdu, const header& h) {
  const std::size_t end = body_end(pdu, h);
  reader in(pdu.first(end));
  in.take(header_size, "the header");
  fault_pdu p;
  p.head = h;
  p.alloc_hint = in.u32("alloc_hint");
  p.context_id = in.u16("the context id");
  p.cancel_count = in.u8("the cancel count");
  in.u8("the reserved byte");
  p.status = in.u32("the fault status");
  // C706 follows the status with 4 reserved bytes; a fault cut right after
  // the status still says what went wrong, so they are optional here.
  if (in.remaining() >= 4) {
    in.take(4, "the reserved bytes");
    const std::size_t s_end = stub_end(pdu, h, in.index());
    const auto stub = in.take(s_end - in.index(), "the stub");
    p.stub.assign(stub.begin(), stub.end());
  }
  return p;
}

// The common header of an encoded PDU; frag_length is patched by finish().
writer start_pdu(const header& h, std::uint8_t type, std::uint8_t flags) {
  header out;
  out.type = type;
  out.flags = flags;
  out.call_id = h.call_id;
  out.auth_length = 0;
  writer w;
  const auto bytes = encode_header(out);
  w.raw(bytes);
  return w;
}

std::optional<std::vector<std::uint8_t>> finish(writer& w) {
  if (w.bytes.size() > 0xFFFF) return std::nullopt;
  w.bytes[8] = static_cast<std::uint8_t>(w.bytes.size());
  w.bytes[9] = static_cast<std::uint8_t>(w.bytes.size() >> 8);
  return std::move(w.bytes);
}

template <class Pdu>
decoded<std::vector<std::uint8_t>> reassemble_stubs(std::span<const Pdu> fragments, std::size_t max_stub) {
  decoded<std::vector<std::uint8_t>> out;
  if (fragments.empty()) {
    out.error = {0, "no fragments"};
    return out;
  }
  std::vector<std::uint8_t> stub;
  const Pdu& first = fragments.front();
  for (std::size_t i = 0; i < fragments.size(); ++i) {
    const Pdu& f = fragments[i];
    const std::string which = "fragment " + std::to_string(i + 1) + " of " + std::to_string(fragments.size());
    auto fail = [&](const std::string& what) {
      out.error = {stub.size(), which + ": " + what};
      return out;
    };
    const bool is_first = i == 0;
    const bool is_last = i + 1 == fragments.size();
    if (f.head.first() != is_first)
      return fail(is_first ? "the first fragment lacks PFC_FIRST_FRAG" : "PFC_FIRST_FRAG in the middle of a call");
    if (f.head.last() != is_last)
      return fail(is_last ? "the last fragment lacks PFC_LAST_FRAG" : "PFC_LAST_FRAG before the last fragment");
    if (f.head.type != first.head.type)
      return fail(ptype_name(f.head.type) + " among " + ptype_name(first.head.type) + " fragments");
    if (f.head.call_id != first.head.call_id)
      return fail("call_id " + std::to_string(f.head.call_id) + " differs from " + std::to_string(first.head.call_id));
    if (f.context_id != first.context_id)
      return fail("context id " + std::to_string(f.context_id) + " differs from " + std::to_string(first.context_id));
    if constexpr (std::is_same_v<Pdu, request_pdu>)
      if (f.opnum != first.opnum)
        return fail("opnum " + std::to_string(f.opnum) + " differs from " + std::to_string(first.opnum));
    if (f.stub.size() > max_stub - stub.size())
      return fail("the stub grows past " + std::to_string(max_stub) + " bytes");
    stub.insert(stub.end(), f.stub.begin(), f.stub.end());
  }
  out.value = std::move(stub);
  return out;
}

template <class Pdu> std::vector<std::vector<std::uint8_t>> fragments_of(const Pdu& p, std::size_t max_frag) {
  std::size_t fixed = header_size + 8;
  if constexpr (std::is_same_v<Pdu, request_pdu>)
    if (p.object) fixed += 16;
  max_frag = std::clamp<std::size_t>(max_frag, fixed + 16, 0xFFFF);
  // Every fragment but the last carries a multiple of 16 stub bytes: NDR
  // alignment (8) survives the split, and the cut is the one Samba makes
  // (2016 bytes of stub in a 2048-byte fragment, not 2024).
  const std::size_t chunk = (max_frag - fixed) / 16 * 16;
  std::vector<std::vector<std::uint8_t>> out;
  std::size_t at = 0;
  do {
    const std::size_t n = std::min(chunk, p.stub.size() - at);
    Pdu f = p;
    f.stub.assign(p.stub.begin() + static_cast<std::ptrdiff_t>(at),
                  p.stub.begin() + static_cast<std::ptrdiff_t>(at + n));
    f.head.flags = static_cast<std::uint8_t>(p.head.flags & ~(pfc::first_frag | pfc::last_frag | pfc::object_uuid));
    if (at == 0) f.head.flags |= pfc::first_frag;
    if (at + n == p.stub.size()) f.head.flags |= pfc::last_frag;
    if constexpr (std::is_same_v<Pdu, request_pdu>)
      if (f.object) f.head.flags |= pfc::object_uuid;
    writer w = start_pdu(f.head, std::is_same_v<Pdu, request_pdu> ? ptype::request : ptype::response, f.head.flags);
    if constexpr (std::is_same_v<Pdu, request_pdu>) {
      w.u32(static_cast<std::uint32_t>(p.stub.size() - at));
      w.u16(f.context_id);
      w.u16(f.opnum);
      if (f.object) w.id(*f.object);
    } else {
      w.u32(static_cast<std::uint32_t>(p.stub.size() - at));
      w.u16(f.context_id);
      w.u8(f.cancel_count);
      w.u8(0);
    }
    w.raw(f.stub);
    out.push_back(*finish(w)); // fits: max_frag <= 0xFFFF
    at += n;
  } while (at < p.stub.size());
  return out;
}

// ---------------------------------------------------------------- towers

tower_floor make_floor(std::vector<std::uint8_t> lhs, std::vector<std::uint8_t> rhs) {
  return tower_floor{std::move(lhs), std::move(rhs)};
}

tower_floor syntax_floor(const syntax_id& s) {
  writer lhs;
  lhs.u8(protocol_id::uuid);
  lhs.id(s.id);
  lhs.u16(s.major);
  writer rhs;
  rhs.u16(s.minor);
  return make_floor(std::move(lhs.bytes), std::move(rhs.bytes));
}

syntax_id read_syntax_floor(const tower_floor& f, int number, std::size_t offset) {
  if (f.lhs.size() != 19 || f.lhs[0] != protocol_id::uuid || f.rhs.size() != 2)
    throw failure{offset, "floor " + std::to_string(number) + " is not a UUID floor (0D + UUID + version)"};
  reader lhs(f.lhs);
  lhs.u8("the protocol id");
  syntax_id s;
  s.id = lhs.read_uuid("the UUID");
  s.major = lhs.u16("the major version");
  s.minor = static_cast<std::uint16_t>(f.rhs[0] | f.rhs[1] << 8);
  return s;
}

std::string ipv4_text(std::span<const std::uint8_t> b) {
  return boost::asio::ip::address_v4({b[0], b[1], b[2], b[3]}).to_string();
}

// Decodes a tower and reports failures at offsets within `stub`.
tower tower_at(std::span<const std::uint8_t> octets, std::size_t base, const std::string& which) {
  auto t = decode_tower(octets);
  if (!t) throw failure{base + t.error.offset, which + ": " + t.error.what};
  return std::move(*t.value);
}

// twr_t: conformance (max_count), tower_length, the octets, aligned to 4.
std::span<const std::uint8_t> read_twr(reader& in, const std::string& which) {
  in.align(4, which);
  const std::size_t at = in.pos();
  const std::uint32_t max_count = in.u32("a tower's max_count");
  const std::uint32_t length = in.u32("a tower's length");
  if (max_count != length)
    throw failure{at, which + ": max_count " + std::to_string(max_count) + " differs from tower_length " +
                          std::to_string(length)};
  return in.take(length, "the end of " + which + " (" + std::to_string(length) + " bytes)");
}

void write_twr(writer& w, std::span<const std::uint8_t> octets) {
  w.align(4);
  w.u32(static_cast<std::uint32_t>(octets.size()));
  w.u32(static_cast<std::uint32_t>(octets.size()));
  w.raw(octets);
}

// Header of a conformant-varying array: max_count, offset, actual_count.
std::uint32_t read_array_header(reader& in, std::uint32_t declared, std::uint32_t& max_count, const char* what) {
  const std::size_t at = in.pos();
  max_count = in.u32("the array's max_count");
  const std::uint32_t offset = in.u32("the array's offset");
  const std::uint32_t actual = in.u32("the array's actual_count");
  if (offset != 0) throw failure{at + 4, std::string(what) + " array offset " + std::to_string(offset) + " is not 0"};
  if (actual != declared)
    throw failure{at + 8, std::string(what) + " array holds " + std::to_string(actual) + " but the count says " +
                              std::to_string(declared)};
  if (actual > max_count)
    throw failure{at + 8, std::string(what) + " array holds " + std::to_string(actual) + ", more than its max_count " +
                              std::to_string(max_count)};
  if (actual > max_towers_limit)
    throw failure{at + 8, std::string(what) + " array holds " + std::to_string(actual) + ", more than " +
                              std::to_string(max_towers_limit) + " accepted"};
  return actual;
}

context_handle read_handle(reader& in) {
  context_handle h{};
  const auto b = in.take(h.size(), "the context handle");
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

template <class T, class F> decoded<T> run(F&& f) {
  decoded<T> out;
  try {
    out.value = f();
  } catch (const failure& e) {
    out.error = {e.offset, e.what};
  }
  return out;
}

} // namespace

// ---------------------------------------------------------------- UUIDs

bool uuid::is_nil() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string to_string(const uuid& u) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(digits[u.bytes[i] >> 4]);
    out.push_back(digits[u.bytes[i] & 0xF]);
  }
  return out;
}

std::array<std::uint8_t, 16> to_wire(const uuid& u) {
  auto w = u.bytes;
  std::reverse(w.begin(), w.begin() + 4);     // time_low
  std::reverse(w.begin() + 4, w.begin() + 6); // time_mid
  std::reverse(w.begin() + 6, w.begin() + 8); // time_hi_and_version
  return w;
}

uuid uuid_from_wire(std::span<const std::uint8_t, 16> wire) {
  uuid u;
  std::copy(wire.begin(), wire.end(), u.bytes.begin());
  u.bytes = to_wire(u); // the swap is its own inverse
  return u;
}

std::string to_string(const syntax_id& s) {
  return to_string(s.id) + " v" + std::to_string(s.major) + "." + std::to_string(s.minor);
}

// ---------------------------------------------------------------- header

std::array<std::uint8_t, header_size> encode_header(const header& h) {
  std::array<std::uint8_t, header_size> out{};
  out[0] = h.rpc_vers;
  out[1] = h.rpc_vers_minor;
  out[2] = h.type;
  out[3] = h.flags;
  std::copy(h.drep.begin(), h.drep.end(), out.begin() + 4);
  const bool le = h.little_endian();
  auto put16 = [&](std::size_t at, std::uint16_t v) {
    out[at + (le ? 0 : 1)] = static_cast<std::uint8_t>(v);
    out[at + (le ? 1 : 0)] = static_cast<std::uint8_t>(v >> 8);
  };
  put16(8, h.frag_length);
  put16(10, h.auth_length);
  for (std::size_t i = 0; i < 4; ++i) out[12 + (le ? i : 3 - i)] = static_cast<std::uint8_t>(h.call_id >> (8 * i));
  return out;
}

decoded<header> decode_header(std::span<const std::uint8_t> bytes) {
  return run<header>([&] {
    if (bytes.size() < header_size)
      throw failure{bytes.size(), "PDU ends before its 16-byte header (" + std::to_string(bytes.size()) + " bytes)"};
    header h;
    h.rpc_vers = bytes[0];
    h.rpc_vers_minor = bytes[1];
    h.type = bytes[2];
    h.flags = bytes[3];
    std::copy(bytes.begin() + 4, bytes.begin() + 8, h.drep.begin());
    if (h.rpc_vers != 5)
      throw failure{0, "rpc_vers " + std::to_string(h.rpc_vers) + " is not 5 (connection-oriented DCE/RPC)"};
    if (h.rpc_vers_minor > 1)
      throw failure{1, "rpc_vers_minor " + std::to_string(h.rpc_vers_minor) + " is neither 0 nor 1"};
    const std::uint8_t int_rep = h.drep[0] >> 4;
    if (int_rep > 1) throw failure{4, "data representation byte 0x" + hex8(h.drep[0]) + " names no byte order"};
    const bool le = int_rep == 1;
    auto get16 = [&](std::size_t at) {
      return static_cast<std::uint16_t>(le ? bytes[at] | bytes[at + 1] << 8 : bytes[at] << 8 | bytes[at + 1]);
    };
    h.frag_length = get16(8);
    h.auth_length = get16(10);
    for (std::size_t i = 0; i < 4; ++i)
      h.call_id |= static_cast<std::uint32_t>(bytes[12 + (le ? i : 3 - i)]) << (8 * i);
    if (h.frag_length < header_size)
      throw failure{8, "frag_length " + std::to_string(h.frag_length) + " is shorter than the header"};
    if (h.auth_length != 0 && std::size_t{h.auth_length} + 8 > h.frag_length - header_size)
      throw failure{10, "auth_length " + std::to_string(h.auth_length) +
                            " and its 8-byte trailer do not fit frag_length " + std::to_string(h.frag_length)};
    return h;
  });
}

std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < header_size) return std::nullopt;
  const bool le = (bytes[4] >> 4) != 0;
  const std::size_t len = le ? bytes[8] | bytes[9] << 8 : bytes[8] << 8 | bytes[9];
  return std::max(len, header_size);
}

// ---------------------------------------------------------------- PDUs

decoded<pdu> decode_pdu(std::span<const std::uint8_t> bytes) {
  return run<pdu>([&]() -> pdu {
    auto h = decode_header(bytes);
    if (!h) throw failure{h.error.offset, h.error.what};
    if (bytes.size() != h.value->frag_length)
      throw failure{std::min<std::size_t>(bytes.size(), h.value->frag_length),
                    "PDU is " + std::to_string(bytes.size()) + " bytes but frag_length says " +
                        std::to_string(h.value->frag_length)};
    if (!h.value->little_endian())
      throw failure{4, "big-endian data representation is not supported (" + ptype_name(h.value->type) + ")"};
    switch (h.value->type) {
    case ptype::bind:
    case ptype::alter_context: return decode_bind(bytes, *h.value);
    case ptype::bind_ack:
    case ptype::alter_context_resp: return decode_bind_ack(bytes, *h.value);
    case ptype::bind_nak: return decode_bind_nak(bytes, *h.value);
    case ptype::request: return decode_request(bytes, *h.value);
    case ptype::response: return decode_response(bytes, *h.value);
    case ptype::fault: return decode_fault(bytes, *h.value);
    default: {
      other_pdu p;
      p.head = *h.value;
      p.body.assign(bytes.begin() + header_size, bytes.end());
      return p;
    }
    }
  });
}

const header& head_of(const pdu& p) {
  return std::visit([](const auto& v) -> const header& { return v.head; }, p);
}

std::optional<std::vector<std::uint8_t>> encode(const bind_pdu& p) {
  if (p.contexts.size() > 0xFF) return std::nullopt;
  writer w = start_pdu(p.head, p.head.type == ptype::alter_context ? ptype::alter_context : ptype::bind, p.head.flags);
  w.u16(p.max_xmit_frag);
  w.u16(p.max_recv_frag);
  w.u32(p.assoc_group);
  w.u8(static_cast<std::uint8_t>(p.contexts.size()));
  w.u8(0);
  w.u16(0);
  for (const auto& c : p.contexts) {
    if (c.transfer_syntaxes.size() > 0xFF) return std::nullopt;
    w.u16(c.id);
    w.u8(static_cast<std::uint8_t>(c.transfer_syntaxes.size()));
    w.u8(0);
    w.syntax(c.abstract_syntax);
    for (const auto& t : c.transfer_syntaxes) w.syntax(t);
  }
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const bind_ack_pdu& p) {
  if (p.results.size() > 0xFF || p.secondary_address.size() >= 0xFFFF) return std::nullopt;
  writer w = start_pdu(p.head, p.head.type == ptype::alter_context_resp ? ptype::alter_context_resp : ptype::bind_ack,
                       p.head.flags);
  w.u16(p.max_xmit_frag);
  w.u16(p.max_recv_frag);
  w.u32(p.assoc_group);
  if (p.secondary_address.empty()) {
    w.u16(0);
  } else {
    w.u16(static_cast<std::uint16_t>(p.secondary_address.size() + 1));
    w.raw(std::span(reinterpret_cast<const std::uint8_t*>(p.secondary_address.data()), p.secondary_address.size()));
    w.u8(0);
  }
  w.align(4);
  w.u8(static_cast<std::uint8_t>(p.results.size()));
  w.u8(0);
  w.u16(0);
  for (const auto& r : p.results) {
    w.u16(r.result);
    w.u16(r.reason);
    w.syntax(r.transfer_syntax);
  }
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const bind_nak_pdu& p) {
  if (p.versions.size() > 0xFF) return std::nullopt;
  writer w = start_pdu(p.head, ptype::bind_nak, p.head.flags);
  w.u16(p.reject_reason);
  w.u8(static_cast<std::uint8_t>(p.versions.size()));
  for (const auto& v : p.versions) {
    w.u8(v.major);
    w.u8(v.minor);
  }
  w.align(4); // as Samba and Windows pad it
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const request_pdu& p) {
  writer w = start_pdu(
      p.head, ptype::request,
      static_cast<std::uint8_t>(p.object ? p.head.flags | pfc::object_uuid : p.head.flags & ~pfc::object_uuid));
  w.u32(static_cast<std::uint32_t>(p.stub.size()));
  w.u16(p.context_id);
  w.u16(p.opnum);
  if (p.object) w.id(*p.object);
  w.raw(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const response_pdu& p) {
  writer w = start_pdu(p.head, ptype::response, p.head.flags);
  w.u32(static_cast<std::uint32_t>(p.stub.size()));
  w.u16(p.context_id);
  w.u8(p.cancel_count);
  w.u8(0);
  w.raw(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const fault_pdu& p) {
  writer w = start_pdu(p.head, ptype::fault, p.head.flags);
  w.u32(p.alloc_hint);
  w.u16(p.context_id);
  w.u8(p.cancel_count);
  w.u8(0);
  w.u32(p.status);
  w.u32(0);
  w.raw(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const other_pdu& p) {
  writer w = start_pdu(p.head, p.head.type, p.head.flags);
  w.bytes[10] = static_cast<std::uint8_t>(p.head.auth_length);
  w.bytes[11] = static_cast<std::uint8_t>(p.head.auth_length >> 8);
  w.raw(p.body);
  return finish(w);
}

std::vector<std::uint8_t> build_epm_bind(std::uint32_t call_id) {
  bind_pdu b;
  b.head.call_id = call_id;
  b.contexts.push_back({0, epm_interface, {ndr_syntax}});
  return *encode(b);
}

std::vector<std::vector<std::uint8_t>> encode_fragments(const request_pdu& p, std::size_t max_frag) {
  return fragments_of(p, max_frag);
}

std::vector<std::vector<std::uint8_t>> encode_fragments(const response_pdu& p, std::size_t max_frag) {
  return fragments_of(p, max_frag);
}

decoded<std::vector<std::uint8_t>> reassemble(std::span<const response_pdu> fragments, std::size_t max_stub) {
  return reassemble_stubs(fragments, max_stub);
}

decoded<std::vector<std::uint8_t>> reassemble(std::span<const request_pdu> fragments, std::size_t max_stub) {
  return reassemble_stubs(fragments, max_stub);
}

// ---------------------------------------------------------------- names

std::string status_name(std::uint32_t code) {
  switch (code) {
  case 0: return "success";
  case status::access_denied: return "access_denied";
  case status::bad_stub_data: return "bad_stub_data";
  case status::comm_failure: return "comm_failure";
  case status::op_rng_error: return "op_rng_error";
  case status::unk_if: return "unk_if";
  case status::proto_error: return "proto_error";
  case status::server_too_busy: return "server_too_busy";
  case status::context_mismatch: return "context_mismatch";
  case status::invalid_pres_context_id: return "invalid_pres_context_id";
  case status::unsupported_authn_level: return "unsupported_authn_level";
  case status::fault_unspec: return "fault_unspec";
  case status::ept_not_registered: return "ept_not_registered";
  default: return hex32(code);
  }
}

std::string ptype_name(std::uint8_t type) {
  switch (type) {
  case ptype::request: return "request";
  case 1: return "ping";
  case ptype::response: return "response";
  case ptype::fault: return "fault";
  case ptype::bind: return "bind";
  case ptype::bind_ack: return "bind_ack";
  case ptype::bind_nak: return "bind_nak";
  case ptype::alter_context: return "alter_context";
  case ptype::alter_context_resp: return "alter_context_resp";
  case ptype::auth3: return "auth3";
  case ptype::shutdown: return "shutdown";
  case ptype::co_cancel: return "co_cancel";
  case ptype::orphaned: return "orphaned";
  default: return "ptype " + std::to_string(type);
  }
}

std::string context_result_text(const context_result& r) {
  std::string reason;
  switch (r.reason) {
  case provider_reason::not_specified: reason = "reason_not_specified"; break;
  case provider_reason::abstract_syntax_not_supported: reason = "abstract_syntax_not_supported"; break;
  case provider_reason::transfer_syntaxes_not_supported: reason = "proposed_transfer_syntaxes_not_supported"; break;
  case provider_reason::local_limit_exceeded: reason = "local_limit_exceeded"; break;
  default: reason = "reason " + std::to_string(r.reason);
  }
  switch (r.result) {
  case bind_result::acceptance: return "acceptance";
  case bind_result::user_rejection: return "user_rejection (" + reason + ")";
  case bind_result::provider_rejection: return "provider_rejection (" + reason + ")";
  case bind_result::negotiate_ack: return "negotiate_ack";
  default: return "result " + std::to_string(r.result) + " (" + reason + ")";
  }
}

std::string reject_reason_name(std::uint16_t reason) {
  switch (reason) {
  case reject_reason::not_specified: return "reason_not_specified";
  case reject_reason::temporary_congestion: return "temporary_congestion";
  case reject_reason::local_limit_exceeded: return "local_limit_exceeded";
  case reject_reason::called_paddr_unknown: return "called_paddr_unknown";
  case reject_reason::protocol_version_not_supported: return "protocol_version_not_supported";
  case reject_reason::default_context_not_supported: return "default_context_not_supported";
  case reject_reason::user_data_not_readable: return "user_data_not_readable";
  case reject_reason::no_psap_available: return "no_psap_available";
  case reject_reason::authentication_type_not_recognized: return "authentication_type_not_recognized";
  case reject_reason::invalid_checksum: return "invalid_checksum";
  default: return "reason " + std::to_string(reason);
  }
}

std::string printable(std::string_view raw) {
  std::string out;
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(ch);
    } else {
      out += "\\x" + hex8(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------- towers

decoded<tower> decode_tower(std::span<const std::uint8_t> octets) {
  return run<tower>([&] {
    reader in(octets);
    const std::uint16_t count = in.u16("the floor count");
    if (count > max_floors)
      throw failure{0, "tower has " + std::to_string(count) + " floors, more than " + std::to_string(max_floors)};
    if (count < 3) throw failure{0, "tower has " + std::to_string(count) + " floors; an RPC tower has at least 3"};
    tower t;
    std::vector<std::size_t> starts;
    for (std::uint16_t i = 0; i < count; ++i) {
      const std::string which = "floor " + std::to_string(i + 1);
      starts.push_back(in.pos());
      const std::uint16_t lhs_len = in.u16("the left-hand side length");
      if (lhs_len == 0) throw failure{starts.back(), which + " has an empty left-hand side (no protocol id)"};
      const auto lhs = in.take(lhs_len, "the end of " + which + "'s left-hand side");
      const std::uint16_t rhs_len = in.u16("the right-hand side length");
      const auto rhs = in.take(rhs_len, "the end of " + which + "'s right-hand side");
      t.floors.push_back(make_floor({lhs.begin(), lhs.end()}, {rhs.begin(), rhs.end()}));
    }
    t.interface = read_syntax_floor(t.floors[0], 1, starts[0]);
    t.transfer_syntax = read_syntax_floor(t.floors[1], 2, starts[1]);

    const auto id = [&](std::size_t i) -> int { return i < t.floors.size() ? t.floors[i].lhs[0] : -1; };
    // Floor 4: the endpoint; floor 5: the host. Interpreted wherever the ids
    // say so, named as a protocol only in the exact shapes [MS-RPCE] uses.
    if (count >= 4) {
      const auto& f4 = t.floors[3];
      switch (id(3)) {
      case protocol_id::tcp:
      case protocol_id::udp:
      case protocol_id::http:
        if (f4.rhs.size() != 2)
          throw failure{starts[3], "floor 4 port is " + std::to_string(f4.rhs.size()) + " bytes, not 2"};
        t.port = static_cast<std::uint16_t>(f4.rhs[0] << 8 | f4.rhs[1]);
        break;
      case protocol_id::smb:
      case protocol_id::named_pipe:
      case protocol_id::unix_socket: t.endpoint = text_until_nul(f4.rhs); break;
      default: break;
      }
    }
    if (count >= 5) {
      const auto& f5 = t.floors[4];
      if (id(4) == protocol_id::ip) {
        if (f5.rhs.size() != 4)
          throw failure{starts[4], "floor 5 IPv4 address is " + std::to_string(f5.rhs.size()) + " bytes, not 4"};
        t.address = ipv4_text(f5.rhs);
      } else if (id(4) == protocol_id::netbios) {
        t.address = text_until_nul(f5.rhs);
      }
    }
    const int p3 = id(2), p4 = id(3), p5 = id(4);
    if (count == 5 && p3 == protocol_id::ncacn && p4 == protocol_id::tcp && p5 == protocol_id::ip)
      t.protocol = "ncacn_ip_tcp";
    else if (count == 5 && p3 == protocol_id::ncacn && p4 == protocol_id::smb && p5 == protocol_id::netbios)
      t.protocol = "ncacn_np";
    else if (count == 4 && p3 == protocol_id::ncalrpc && p4 == protocol_id::named_pipe)
      t.protocol = "ncalrpc";
    else if (count == 5 && p3 == protocol_id::ncacn && p4 == protocol_id::http && p5 == protocol_id::ip)
      t.protocol = "ncacn_http";
    else if (count == 5 && p3 == protocol_id::ncadg && p4 == protocol_id::udp && p5 == protocol_id::ip)
      t.protocol = "ncadg_ip_udp";
    return t;
  });
}

std::vector<std::uint8_t> encode_floors(std::span<const tower_floor> floors) {
  writer w;
  if (floors.size() > 0xFFFF) return {};
  w.u16(static_cast<std::uint16_t>(floors.size()));
  for (const auto& f : floors) {
    if (f.lhs.size() > 0xFFFF || f.rhs.size() > 0xFFFF) return {};
    w.u16(static_cast<std::uint16_t>(f.lhs.size()));
    w.raw(f.lhs);
    w.u16(static_cast<std::uint16_t>(f.rhs.size()));
    w.raw(f.rhs);
  }
  return std::move(w.bytes);
}

std::optional<std::vector<tower_floor>> build_floors(const tower& t) {
  std::vector<tower_floor> f{syntax_floor(t.interface), syntax_floor(t.transfer_syntax)};
  const auto id = [](std::uint8_t v) { return std::vector<std::uint8_t>{v}; };
  const std::vector<std::uint8_t> minor0{0, 0};
  const auto port = [&] {
    const std::uint16_t p = t.port.value_or(0);
    return std::vector<std::uint8_t>{static_cast<std::uint8_t>(p >> 8), static_cast<std::uint8_t>(p)};
  };
  const auto ipv4 = [&]() -> std::optional<std::vector<std::uint8_t>> {
    if (t.address.empty()) return std::vector<std::uint8_t>{0, 0, 0, 0};
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address_v4(t.address, ec);
    if (ec) return std::nullopt;
    const auto b = a.to_bytes();
    return std::vector<std::uint8_t>(b.begin(), b.end());
  };
  const auto text = [](const std::string& s) -> std::optional<std::vector<std::uint8_t>> {
    if (s.find('\0') != std::string::npos || s.size() > 0xFFFF) return std::nullopt;
    return text_with_nul(s, 0xFFFF);
  };
  if (t.protocol == "ncacn_ip_tcp" || t.protocol == "ncacn_http" || t.protocol == "ncadg_ip_udp") {
    const auto addr = ipv4();
    if (!addr) return std::nullopt;
    const bool udp = t.protocol == "ncadg_ip_udp";
    f.push_back(make_floor(id(udp ? protocol_id::ncadg : protocol_id::ncacn), minor0));
    std::uint8_t transport = protocol_id::tcp;
    if (udp) transport = protocol_id::udp;
    if (t.protocol == "ncacn_http") transport = protocol_id::http;
    f.push_back(make_floor(id(transport), port()));
    f.push_back(make_floor(id(protocol_id::ip), *addr));
  } else if (t.protocol == "ncacn_np") {
    const auto pipe = text(t.endpoint), host = text(t.address);
    if (!pipe || !host) return std::nullopt;
    f.push_back(make_floor(id(protocol_id::ncacn), minor0));
    f.push_back(make_floor(id(protocol_id::smb), *pipe));
    f.push_back(make_floor(id(protocol_id::netbios), *host));
  } else if (t.protocol == "ncalrpc") {
    const auto name = text(t.endpoint);
    if (!name) return std::nullopt;
    f.push_back(make_floor(id(protocol_id::ncalrpc), minor0));
    f.push_back(make_floor(id(protocol_id::named_pipe), *name));
  } else {
    return std::nullopt;
  }
  return f;
}

std::optional<std::vector<std::uint8_t>> encode_tower(const tower& t) {
  const auto floors = build_floors(t);
  if (!floors) return std::nullopt;
  return encode_floors(*floors);
}

tower tcp_query_tower(const syntax_id& interface) {
  tower t;
  t.interface = interface;
  t.transfer_syntax = ndr_syntax;
  t.protocol = "ncacn_ip_tcp";
  t.port = 0;
  t.address = "0.0.0.0";
  t.floors = *build_floors(t);
  return t;
}

std::string binding_text(const tower& t) {
  if (t.protocol == "ncacn_ip_tcp" || t.protocol == "ncacn_http" || t.protocol == "ncadg_ip_udp")
    return t.protocol + ":" + t.address + "[" + std::to_string(t.port.value_or(0)) + "]";
  if (t.protocol == "ncacn_np" || t.protocol == "ncalrpc")
    return t.protocol + ":" + printable(t.address) + "[" + printable(t.endpoint) + "]";
  std::string out = "floors";
  for (std::size_t i = 2; i < t.floors.size(); ++i) out += " " + hex8(t.floors[i].lhs[0]);
  return out;
}

// ---------------------------------------------------------------- endpoint mapper stubs

bool is_null(const context_handle& h) {
  return std::all_of(h.begin(), h.end(), [](std::uint8_t b) { return b == 0; });
}

std::vector<std::uint8_t> encode_ept_map_request(const ept_map_request& r) {
  writer w;
  if (r.object) {
    w.u32(1);
    w.id(*r.object);
  } else {
    w.u32(0);
  }
  if (r.map_tower) {
    w.u32(2);
    write_twr(w, *r.map_tower);
  } else {
    w.u32(0);
  }
  w.align(4);
  w.raw(r.entry_handle);
  w.u32(r.max_towers);
  return std::move(w.bytes);
}

decoded<ept_map_request> decode_ept_map_request(std::span<const std::uint8_t> stub) {
  return run<ept_map_request>([&] {
    reader in(stub);
    ept_map_request r;
    if (in.u32("the object pointer") != 0) r.object = in.read_uuid("the object UUID");
    if (in.u32("the tower pointer") != 0) {
      const auto octets = read_twr(in, "the map tower");
      r.map_tower.emplace(octets.begin(), octets.end());
    }
    in.align(4, "the padding after the tower");
    r.entry_handle = read_handle(in);
    r.max_towers = in.u32("max_towers");
    return r;
  });
}

std::vector<std::uint8_t> ept_map_query(const syntax_id& interface, std::uint32_t max_towers) {
  ept_map_request r;
  r.object = uuid{};
  r.map_tower = encode_floors(tcp_query_tower(interface).floors);
  r.max_towers = max_towers;
  return encode_ept_map_request(r);
}

decoded<ept_map_response> decode_ept_map_response(std::span<const std::uint8_t> stub) {
  return run<ept_map_response>([&] {
    reader in(stub);
    ept_map_response r;
    r.entry_handle = read_handle(in);
    const std::uint32_t num = in.u32("num_towers");
    const std::uint32_t actual = read_array_header(in, num, r.max_count, "tower");
    in.need(std::size_t{actual} * 4, std::to_string(actual) + " tower pointers");
    std::vector<std::uint32_t> referents;
    for (std::uint32_t i = 0; i < actual; ++i) referents.push_back(in.u32("a tower pointer"));
    for (std::uint32_t i = 0; i < actual; ++i) {
      if (referents[i] == 0) continue;
      const std::string which = "tower " + std::to_string(i + 1);
      const auto octets = read_twr(in, which);
      r.towers.push_back(tower_at(octets, in.pos() - octets.size(), which));
    }
    in.align(4, "the padding before the status");
    r.status = in.u32("the status");
    return r;
  });
}

std::optional<std::vector<std::uint8_t>> encode_ept_map_response(const ept_map_response& r) {
  if (r.towers.size() > max_towers_limit) return std::nullopt;
  writer w;
  w.raw(r.entry_handle);
  const auto n = static_cast<std::uint32_t>(r.towers.size());
  w.u32(n);
  w.u32(std::max(r.max_count, n));
  w.u32(0);
  w.u32(n);
  // Referent IDs as Windows and Samba number them: 3 onwards (1 and 2 went to
  // the request's pointers).
  for (std::uint32_t i = 0; i < n; ++i) w.u32(3 + i);
  for (const auto& t : r.towers) {
    const auto octets = encode_floors(t.floors);
    if (octets.empty()) return std::nullopt;
    write_twr(w, octets);
  }
  w.align(4);
  w.u32(r.status);
  return std::move(w.bytes);
}

std::vector<std::uint8_t> encode_ept_lookup_request(const ept_lookup_request& r) {
  writer w;
  w.u32(r.inquiry_type);
  if (r.object) {
    w.u32(1);
    w.id(*r.object);
  } else {
    w.u32(0);
  }
  if (r.interface) {
    w.u32(2);
    w.syntax(*r.interface);
  } else {
    w.u32(0);
  }
  w.u32(r.vers_option);
  w.raw(r.entry_handle);
  w.u32(r.max_ents);
  return std::move(w.bytes);
}

decoded<ept_lookup_request> decode_ept_lookup_request(std::span<const std::uint8_t> stub) {
  return run<ept_lookup_request>([&] {
    reader in(stub);
    ept_lookup_request r;
    r.inquiry_type = in.u32("inquiry_type");
    if (in.u32("the object pointer") != 0) r.object = in.read_uuid("the object UUID");
    if (in.u32("the interface pointer") != 0) r.interface = in.read_syntax("the interface id");
    r.vers_option = in.u32("vers_option");
    r.entry_handle = read_handle(in);
    r.max_ents = in.u32("max_ents");
    return r;
  });
}

decoded<ept_lookup_response> decode_ept_lookup_response(std::span<const std::uint8_t> stub) {
  return run<ept_lookup_response>([&] {
    reader in(stub);
    ept_lookup_response r;
    r.entry_handle = read_handle(in);
    const std::uint32_t num = in.u32("num_ents");
    const std::uint32_t actual = read_array_header(in, num, r.max_count, "entry");
    std::vector<std::uint32_t> referents;
    for (std::uint32_t i = 0; i < actual; ++i) {
      const std::string which = "entry " + std::to_string(i + 1);
      in.align(4, which);
      ept_entry e;
      e.object = in.read_uuid("an entry's object UUID");
      referents.push_back(in.u32("an entry's tower pointer"));
      const std::size_t at = in.pos();
      const std::uint32_t offset = in.u32("an annotation's offset");
      const std::uint32_t count = in.u32("an annotation's length");
      if (offset != 0) throw failure{at, which + ": annotation offset " + std::to_string(offset) + " is not 0"};
      if (count > max_annotation)
        throw failure{at + 4, which + ": annotation of " + std::to_string(count) + " characters, more than " +
                                  std::to_string(max_annotation)};
      e.annotation = text_until_nul(in.take(count, "the end of " + which + "'s annotation"));
      r.entries.push_back(std::move(e));
    }
    for (std::uint32_t i = 0; i < actual; ++i) {
      if (referents[i] == 0) continue;
      const std::string which = "entry " + std::to_string(i + 1) + "'s tower";
      const auto octets = read_twr(in, which);
      r.entries[i].endpoint = tower_at(octets, in.pos() - octets.size(), which);
    }
    in.align(4, "the padding before the status");
    r.status = in.u32("the status");
    return r;
  });
}

std::optional<std::vector<std::uint8_t>> encode_ept_lookup_response(const ept_lookup_response& r) {
  if (r.entries.size() > max_towers_limit) return std::nullopt;
  writer w;
  w.raw(r.entry_handle);
  const auto n = static_cast<std::uint32_t>(r.entries.size());
  w.u32(n);
  w.u32(std::max(r.max_count, n));
  w.u32(0);
  w.u32(n);
  std::uint32_t referent = 1;
  for (const auto& e : r.entries) {
    if (e.annotation.size() > max_annotation || e.annotation.find('\0') != std::string::npos) return std::nullopt;
    w.align(4);
    w.id(e.object);
    w.u32(e.endpoint ? referent++ : 0);
    const auto chars = text_with_nul(e.annotation, max_annotation);
    w.u32(0);
    w.u32(static_cast<std::uint32_t>(chars.size()));
    w.raw(chars);
  }
  for (const auto& e : r.entries) {
    if (!e.endpoint) continue;
    const auto octets = encode_floors(e.endpoint->floors);
    if (octets.empty()) return std::nullopt;
    write_twr(w, octets);
  }
  w.align(4);
  w.u32(r.status);
  return std::move(w.bytes);
}

// ---------------------------------------------------------------- well-known interfaces

namespace {

constexpr syntax_id iface(std::string_view text, std::uint16_t major, std::uint16_t minor) {
  return syntax_id{*parse_uuid(text), major, minor};
}

// Versions: the Windows protocol specifications ([MS-LSAD], [MS-SAMR],
// [MS-NRPC], [MS-DRSR], [MS-SRVS], [MS-RRP], [MS-RPRN], [MS-OXCRPC] 0.81,
// [MS-OXNSPI] 56.0, [MS-OXABREF] 1.0), checked against what Samba 4.17's
// endpoint mapper registers for the ones it serves.
constexpr known_interface table[] = {
    {"epm", "epmapper", "endpoint mapper (C706)", iface("e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, 0)},
    {"lsarpc", "", "LSA (MS-LSAD)", iface("12345778-1234-abcd-ef00-0123456789ab", 0, 0)},
    {"samr", "", "SAM remote (MS-SAMR)", iface("12345778-1234-abcd-ef00-0123456789ac", 1, 0)},
    {"netlogon", "", "Netlogon (MS-NRPC)", iface("12345678-1234-abcd-ef00-01234567cffb", 1, 0)},
    {"drsuapi", "", "directory replication (MS-DRSR)", iface("e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, 0)},
    {"srvsvc", "", "server service (MS-SRVS)", iface("4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, 0)},
    {"winreg", "", "remote registry (MS-RRP)", iface("338cd001-2244-31f1-aaaa-900038001003", 1, 0)},
    {"spoolss", "", "print spooler (MS-RPRN)", iface("12345678-1234-abcd-ef00-0123456789ab", 1, 0)},
    {"emsmdb", "mapi", "Exchange MAPI (MS-OXCRPC)", iface("a4f1db00-ca47-1067-b31f-00dd010662da", 0, 81)},
    {"nspi", "", "Exchange address book (MS-OXNSPI)", iface("f5cc5a18-4264-101a-8c59-08002b2f8426", 56, 0)},
    {"rfr", "", "Exchange address book referral (MS-OXABREF)", iface("1544f5e0-613c-11d1-93df-00c04fd7bd09", 1, 0)},
    // Further interfaces a Windows or Samba endpoint mapper lists, so that
    // enumerated endpoints get a name in evidence.
    {"wkssvc", "", "workstation service (MS-WKST)", iface("6bffd098-a112-3610-9833-46c3f87e345a", 1, 0)},
    {"svcctl", "", "service control manager (MS-SCMR)", iface("367abb81-9844-35f1-ad32-98f038001003", 2, 0)},
    {"eventlog", "", "event log (MS-EVEN)", iface("82273fdc-e32a-18c3-3f78-827929dc23ea", 0, 0)},
    {"netdfs", "", "DFS (MS-DFSNM)", iface("4fc742e0-4a10-11cf-8273-00aa004ae673", 3, 0)},
    {"dssetup", "", "directory services setup (MS-DSSP)", iface("3919286a-b10c-11d0-9ba8-00c04fd92ef5", 0, 0)},
    {"initshutdown", "", "remote shutdown (MS-RSP)", iface("894de0c0-0d55-11d3-a322-00c04fa321a1", 1, 0)},
    {"ntsvcs", "", "plug and play (MS-PNPR)", iface("8d9f4e40-a03d-11ce-8f69-08003e30051b", 1, 0)},
};

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

} // namespace

std::span<const known_interface> known_interfaces() { return table; }

const known_interface* find_interface(std::string_view name) {
  for (const auto& k : table)
    if (same_name(k.name, name) || same_name(k.alias, name)) return &k;
  return nullptr;
}

const known_interface* find_interface(const uuid& id) {
  for (const auto& k : table)
    if (k.id.id == id) return &k;
  return nullptr;
}

} // namespace edgeprobe::dcerpc
