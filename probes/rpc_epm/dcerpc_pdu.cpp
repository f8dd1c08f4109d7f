// DCE/RPC connection-oriented PDUs: the header in either byte order, the
// bodies in little-endian NDR, fragments and their reassembly, and the names
// evidence prints. One reader over each PDU: every read checks what remains,
// so a lying count or length ends decoding with an error at the offset where
// it was found.
#include "probes/rpc_epm/dcerpc_pdu.hpp"

#include "probes/rpc_epm/ndr.hpp"
#include "wire/escape_bytes.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace edgeprobe::dcerpc {

namespace ndr {

uuid read_uuid(wire::reader& in, std::string_view what) { return uuid_from_wire(in.take(16, what).first<16>()); }

syntax_id read_syntax(wire::reader& in, std::string_view what) {
  syntax_id s;
  s.id = read_uuid(in, what);
  s.major = in.u16(what);
  s.minor = in.u16(what);
  return s;
}

void write_uuid(wire::writer& out, const uuid& u) { out.bytes(to_wire(u)); }

void write_syntax(wire::writer& out, const syntax_id& s) {
  write_uuid(out, s.id);
  out.u16(s.major);
  out.u16(s.minor);
}

std::string text_until_nul(std::span<const std::uint8_t> bytes) {
  const auto end = std::find(bytes.begin(), bytes.end(), std::uint8_t{0});
  return std::string(bytes.begin(), end);
}

std::vector<std::uint8_t> text_with_nul(std::string_view text, std::size_t limit) {
  std::vector<std::uint8_t> out(text.begin(), text.end());
  if (out.size() < limit) out.push_back(0);
  return out;
}

std::string hex8(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

} // namespace ndr

namespace {

using wire::failure;

// The byte order a data representation names for integers: its high nibble,
// 0 big-endian, 1 little-endian ([C706] 14.1). Encoders write what the header
// says; decode_header refuses any other nibble before asking.
wire::byte_order order_of(const std::array<std::uint8_t, 4>& drep) {
  return (drep[0] >> 4) == 1 ? wire::byte_order::little : wire::byte_order::big;
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// ---------------------------------------------------------------- PDU bodies

// Where the stub of a request/response/fault ends: before the auth verifier
// (sec_trailer + auth_length bytes) and the padding the trailer declares.
std::size_t stub_end(std::span<const std::uint8_t> pdu, const header& h, std::size_t body_start) {
  if (h.auth_length == 0) return pdu.size();
  const std::size_t trailer = pdu.size() - h.auth_length - 8; // decode_header checked that it fits
  const std::size_t pad = ndr::little_reader(pdu).at(trailer + 2, "auth_pad_length").u8("auth_pad_length");
  if (trailer < body_start + pad)
    throw failure{trailer + 2, "auth padding of " + std::to_string(pad) + " bytes runs into the PDU body"};
  return trailer - pad;
}

// Where bind-like bodies end: before the auth verifier, if any.
std::size_t body_end(std::span<const std::uint8_t> pdu, const header& h) {
  return h.auth_length == 0 ? pdu.size() : pdu.size() - h.auth_length - 8;
}

bind_pdu decode_bind(std::span<const std::uint8_t> pdu, const header& h) {
  wire::reader in = ndr::little_reader(pdu.first(body_end(pdu, h)));
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
    c.abstract_syntax = ndr::read_syntax(in, "an abstract syntax");
    for (std::uint8_t k = 0; k < n_transfer; ++k)
      c.transfer_syntaxes.push_back(ndr::read_syntax(in, "a transfer syntax"));
    p.contexts.push_back(std::move(c));
  }
  return p;
}

bind_ack_pdu decode_bind_ack(std::span<const std::uint8_t> pdu, const header& h) {
  wire::reader in = ndr::little_reader(pdu.first(body_end(pdu, h)));
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
    r.transfer_syntax = ndr::read_syntax(in, "a result's transfer syntax");
    p.results.push_back(r);
  }
  return p;
}

bind_nak_pdu decode_bind_nak(std::span<const std::uint8_t> pdu, const header& h) {
  wire::reader in = ndr::little_reader(pdu.first(body_end(pdu, h)));
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
  wire::reader in = ndr::little_reader(pdu);
  in.take(header_size, "the header");
  request_pdu p;
  p.head = h;
  p.alloc_hint = in.u32("alloc_hint");
  p.context_id = in.u16("the context id");
  p.opnum = in.u16("the opnum");
  if (h.flags & pfc::object_uuid) p.object = ndr::read_uuid(in, "the object UUID");
  const std::size_t end = stub_end(pdu, h, in.index());
  const auto stub = in.take(end - in.index(), "the stub");
  p.stub.assign(stub.begin(), stub.end());
  return p;
}

response_pdu decode_response(std::span<const std::uint8_t> pdu, const header& h) {
  wire::reader in = ndr::little_reader(pdu);
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
  wire::reader in = ndr::little_reader(pdu.first(end));
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
wire::writer start_pdu(const header& h, std::uint8_t type, std::uint8_t flags) {
  header out;
  out.type = type;
  out.flags = flags;
  out.call_id = h.call_id;
  out.auth_length = 0;
  wire::writer w = ndr::little_writer();
  w.bytes(encode_header(out));
  return w;
}

std::optional<std::vector<std::uint8_t>> finish(wire::writer& w) {
  if (w.size() > 0xFFFF) return std::nullopt;
  w.patch_u16(8, static_cast<std::uint16_t>(w.size())); // frag_length
  return w.take();
}

template <class Pdu>
wire::decoded<std::vector<std::uint8_t>> reassemble_stubs(std::span<const Pdu> fragments, std::size_t max_stub) {
  wire::decoded<std::vector<std::uint8_t>> out;
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
    wire::writer w =
        start_pdu(f.head, std::is_same_v<Pdu, request_pdu> ? ptype::request : ptype::response, f.head.flags);
    if constexpr (std::is_same_v<Pdu, request_pdu>) {
      w.u32(static_cast<std::uint32_t>(p.stub.size() - at));
      w.u16(f.context_id);
      w.u16(f.opnum);
      if (f.object) ndr::write_uuid(w, *f.object);
    } else {
      w.u32(static_cast<std::uint32_t>(p.stub.size() - at));
      w.u16(f.context_id);
      w.u8(f.cancel_count);
      w.u8(0);
    }
    w.bytes(f.stub);
    out.push_back(*finish(w)); // fits: max_frag <= 0xFFFF
    at += n;
  } while (at < p.stub.size());
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
  wire::writer w(order_of(h.drep));
  w.u8(h.rpc_vers);
  w.u8(h.rpc_vers_minor);
  w.u8(h.type);
  w.u8(h.flags);
  w.bytes(h.drep);
  w.u16(h.frag_length);
  w.u16(h.auth_length);
  w.u32(h.call_id);
  std::array<std::uint8_t, header_size> out{};
  std::copy(w.view().begin(), w.view().end(), out.begin());
  return out;
}

wire::decoded<header> decode_header(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    if (bytes.size() < header_size)
      throw failure{bytes.size(), "PDU ends before its 16-byte header (" + std::to_string(bytes.size()) + " bytes)"};
    wire::reader in(bytes);
    header h;
    h.rpc_vers = in.u8("rpc_vers");
    h.rpc_vers_minor = in.u8("rpc_vers_minor");
    h.type = in.u8("PTYPE");
    h.flags = in.u8("pfc_flags");
    const auto drep = in.take(h.drep.size(), "the data representation");
    std::copy(drep.begin(), drep.end(), h.drep.begin());
    if (h.rpc_vers != 5)
      throw failure{0, "rpc_vers " + std::to_string(h.rpc_vers) + " is not 5 (connection-oriented DCE/RPC)"};
    if (h.rpc_vers_minor > 1)
      throw failure{1, "rpc_vers_minor " + std::to_string(h.rpc_vers_minor) + " is neither 0 nor 1"};
    const std::uint8_t int_rep = h.drep[0] >> 4;
    if (int_rep > 1) throw failure{4, "data representation byte 0x" + ndr::hex8(h.drep[0]) + " names no byte order"};
    // From here on, integers in the order the sender named.
    in.set_order(order_of(h.drep));
    h.frag_length = in.u16("frag_length");
    h.auth_length = in.u16("auth_length");
    h.call_id = in.u32("call_id");
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
  // Any integer representation but big-endian (0) frames as little-endian:
  // decode_pdu reports an unknown one, once the PDU is cut from the stream.
  wire::reader in(bytes, (bytes[4] >> 4) != 0 ? wire::byte_order::little : wire::byte_order::big);
  const std::size_t len = in.at(8, "frag_length").u16("frag_length");
  return std::max(len, header_size);
}

// ---------------------------------------------------------------- PDUs

wire::decoded<pdu> decode_pdu(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&]() -> pdu {
    auto h = decode_header(bytes);
    if (!h) throw h.error; // the same failure type: passed on as it is
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
  wire::writer w =
      start_pdu(p.head, p.head.type == ptype::alter_context ? ptype::alter_context : ptype::bind, p.head.flags);
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
    ndr::write_syntax(w, c.abstract_syntax);
    for (const auto& t : c.transfer_syntaxes) ndr::write_syntax(w, t);
  }
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const bind_ack_pdu& p) {
  if (p.results.size() > 0xFF || p.secondary_address.size() >= 0xFFFF) return std::nullopt;
  wire::writer w = start_pdu(
      p.head, p.head.type == ptype::alter_context_resp ? ptype::alter_context_resp : ptype::bind_ack, p.head.flags);
  w.u16(p.max_xmit_frag);
  w.u16(p.max_recv_frag);
  w.u32(p.assoc_group);
  if (p.secondary_address.empty()) {
    w.u16(0);
  } else {
    w.u16(static_cast<std::uint16_t>(p.secondary_address.size() + 1));
    w.text(p.secondary_address);
    w.u8(0);
  }
  w.align(4);
  w.u8(static_cast<std::uint8_t>(p.results.size()));
  w.u8(0);
  w.u16(0);
  for (const auto& r : p.results) {
    w.u16(r.result);
    w.u16(r.reason);
    ndr::write_syntax(w, r.transfer_syntax);
  }
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const bind_nak_pdu& p) {
  if (p.versions.size() > 0xFF) return std::nullopt;
  wire::writer w = start_pdu(p.head, ptype::bind_nak, p.head.flags);
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
  wire::writer w = start_pdu(
      p.head, ptype::request,
      static_cast<std::uint8_t>(p.object ? p.head.flags | pfc::object_uuid : p.head.flags & ~pfc::object_uuid));
  w.u32(static_cast<std::uint32_t>(p.stub.size()));
  w.u16(p.context_id);
  w.u16(p.opnum);
  if (p.object) ndr::write_uuid(w, *p.object);
  w.bytes(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const response_pdu& p) {
  wire::writer w = start_pdu(p.head, ptype::response, p.head.flags);
  w.u32(static_cast<std::uint32_t>(p.stub.size()));
  w.u16(p.context_id);
  w.u8(p.cancel_count);
  w.u8(0);
  w.bytes(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const fault_pdu& p) {
  wire::writer w = start_pdu(p.head, ptype::fault, p.head.flags);
  w.u32(p.alloc_hint);
  w.u16(p.context_id);
  w.u8(p.cancel_count);
  w.u8(0);
  w.u32(p.status);
  w.u32(0);
  w.bytes(p.stub);
  return finish(w);
}

std::optional<std::vector<std::uint8_t>> encode(const other_pdu& p) {
  wire::writer w = start_pdu(p.head, p.head.type, p.head.flags);
  w.patch_u16(10, p.head.auth_length);
  w.bytes(p.body);
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

wire::decoded<std::vector<std::uint8_t>> reassemble(std::span<const response_pdu> fragments, std::size_t max_stub) {
  return reassemble_stubs(fragments, max_stub);
}

wire::decoded<std::vector<std::uint8_t>> reassemble(std::span<const request_pdu> fragments, std::size_t max_stub) {
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

std::string printable(std::string_view raw) { return escape_unprintable(raw); }


} // namespace edgeprobe::dcerpc
