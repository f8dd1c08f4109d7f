// The endpoint mapper's NDR stubs: ept_map and ept_lookup, requests and
// responses. Pointers are referent IDs (0 for NULL), arrays conformant and
// varying; the towers inside are decoded by decode_tower, their failures
// reported at offsets in the stub.
#include "probes/rpc_epm/epm_stub.hpp"

#include "probes/rpc_epm/ndr.hpp"

#include <algorithm>

namespace edgeprobe::dcerpc {

namespace {

using wire::failure;

// Decodes a tower and reports failures at offsets within `stub`.
tower tower_at(std::span<const std::uint8_t> octets, std::size_t base, const std::string& which) {
  auto t = decode_tower(octets);
  if (!t) throw failure{base + t.error.offset, which + ": " + t.error.what};
  return std::move(*t.value);
}

// twr_t: conformance (max_count), tower_length, the octets, aligned to 4.
std::span<const std::uint8_t> read_twr(wire::reader& in, const std::string& which) {
  in.align(4, which);
  const std::size_t at = in.pos();
  const std::uint32_t max_count = in.u32("a tower's max_count");
  const std::uint32_t length = in.u32("a tower's length");
  if (max_count != length)
    throw failure{at, which + ": max_count " + std::to_string(max_count) + " differs from tower_length " +
                          std::to_string(length)};
  return in.take(length, "the end of " + which + " (" + std::to_string(length) + " bytes)");
}

void write_twr(wire::writer& w, std::span<const std::uint8_t> octets) {
  w.align(4);
  w.u32(static_cast<std::uint32_t>(octets.size()));
  w.u32(static_cast<std::uint32_t>(octets.size()));
  w.bytes(octets);
}

// Header of a conformant-varying array: max_count, offset, actual_count.
std::uint32_t read_array_header(wire::reader& in, std::uint32_t declared, std::uint32_t& max_count, const char* what) {
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

context_handle read_handle(wire::reader& in) {
  context_handle h{};
  const auto b = in.take(h.size(), "the context handle");
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

} // namespace

// ---------------------------------------------------------------- endpoint mapper stubs

bool is_null(const context_handle& h) {
  return std::all_of(h.begin(), h.end(), [](std::uint8_t b) { return b == 0; });
}

std::vector<std::uint8_t> encode_ept_map_request(const ept_map_request& r) {
  wire::writer w = ndr::little_writer();
  if (r.object) {
    w.u32(1);
    ndr::write_uuid(w, *r.object);
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
  w.bytes(r.entry_handle);
  w.u32(r.max_towers);
  return w.take();
}

wire::decoded<ept_map_request> decode_ept_map_request(std::span<const std::uint8_t> stub) {
  return wire::decoding([&] {
    wire::reader in = ndr::little_reader(stub);
    ept_map_request r;
    if (in.u32("the object pointer") != 0) r.object = ndr::read_uuid(in, "the object UUID");
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

wire::decoded<ept_map_response> decode_ept_map_response(std::span<const std::uint8_t> stub) {
  return wire::decoding([&] {
    wire::reader in = ndr::little_reader(stub);
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
  wire::writer w = ndr::little_writer();
  w.bytes(r.entry_handle);
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
  return w.take();
}

std::vector<std::uint8_t> encode_ept_lookup_request(const ept_lookup_request& r) {
  wire::writer w = ndr::little_writer();
  w.u32(r.inquiry_type);
  if (r.object) {
    w.u32(1);
    ndr::write_uuid(w, *r.object);
  } else {
    w.u32(0);
  }
  if (r.interface) {
    w.u32(2);
    ndr::write_syntax(w, *r.interface);
  } else {
    w.u32(0);
  }
  w.u32(r.vers_option);
  w.bytes(r.entry_handle);
  w.u32(r.max_ents);
  return w.take();
}

wire::decoded<ept_lookup_request> decode_ept_lookup_request(std::span<const std::uint8_t> stub) {
  return wire::decoding([&] {
    wire::reader in = ndr::little_reader(stub);
    ept_lookup_request r;
    r.inquiry_type = in.u32("inquiry_type");
    if (in.u32("the object pointer") != 0) r.object = ndr::read_uuid(in, "the object UUID");
    if (in.u32("the interface pointer") != 0) r.interface = ndr::read_syntax(in, "the interface id");
    r.vers_option = in.u32("vers_option");
    r.entry_handle = read_handle(in);
    r.max_ents = in.u32("max_ents");
    return r;
  });
}

wire::decoded<ept_lookup_response> decode_ept_lookup_response(std::span<const std::uint8_t> stub) {
  return wire::decoding([&] {
    wire::reader in = ndr::little_reader(stub);
    ept_lookup_response r;
    r.entry_handle = read_handle(in);
    const std::uint32_t num = in.u32("num_ents");
    const std::uint32_t actual = read_array_header(in, num, r.max_count, "entry");
    std::vector<std::uint32_t> referents;
    for (std::uint32_t i = 0; i < actual; ++i) {
      const std::string which = "entry " + std::to_string(i + 1);
      in.align(4, which);
      ept_entry e;
      e.object = ndr::read_uuid(in, "an entry's object UUID");
      referents.push_back(in.u32("an entry's tower pointer"));
      const std::size_t at = in.pos();
      const std::uint32_t offset = in.u32("an annotation's offset");
      const std::uint32_t count = in.u32("an annotation's length");
      if (offset != 0) throw failure{at, which + ": annotation offset " + std::to_string(offset) + " is not 0"};
      if (count > max_annotation)
        throw failure{at + 4, which + ": annotation of " + std::to_string(count) + " characters, more than " +
                                  std::to_string(max_annotation)};
      e.annotation = ndr::text_until_nul(in.take(count, "the end of " + which + "'s annotation"));
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
  wire::writer w = ndr::little_writer();
  w.bytes(r.entry_handle);
  const auto n = static_cast<std::uint32_t>(r.entries.size());
  w.u32(n);
  w.u32(std::max(r.max_count, n));
  w.u32(0);
  w.u32(n);
  std::uint32_t referent = 1;
  for (const auto& e : r.entries) {
    if (e.annotation.size() > max_annotation || e.annotation.find('\0') != std::string::npos) return std::nullopt;
    w.align(4);
    ndr::write_uuid(w, e.object);
    w.u32(e.endpoint ? referent++ : 0);
    const auto chars = ndr::text_with_nul(e.annotation, max_annotation);
    w.u32(0);
    w.u32(static_cast<std::uint32_t>(chars.size()));
    w.bytes(chars);
  }
  for (const auto& e : r.entries) {
    if (!e.endpoint) continue;
    const auto octets = encode_floors(e.endpoint->floors);
    if (octets.empty()) return std::nullopt;
    write_twr(w, octets);
  }
  w.align(4);
  w.u32(r.status);
  return w.take();
}

} // namespace edgeprobe::dcerpc
