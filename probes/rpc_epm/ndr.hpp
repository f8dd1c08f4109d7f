// What the DCE/RPC codec's parts share (internal to the codec, not for its
// users): little-endian NDR reads and writes of UUIDs and syntax identifiers,
// the NUL-terminated text towers and annotations carry, and hex for evidence.
#pragma once
#include "probes/rpc_epm/dcerpc_pdu.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::dcerpc::ndr {

// A reader over PDU bodies, stubs and tower floors: little-endian, "ends
// before <what>" when the bytes run out. `base` is added to every offset it
// reports, for a reader over part of what the caller handed in.
inline wire::reader little_reader(std::span<const std::uint8_t> bytes, std::size_t base = 0) {
  return wire::reader(bytes, wire::byte_order::little, base);
}
inline wire::writer little_writer() { return wire::writer(wire::byte_order::little); }

uuid read_uuid(wire::reader& in, std::string_view what);
syntax_id read_syntax(wire::reader& in, std::string_view what);
void write_uuid(wire::writer& out, const uuid& u);
void write_syntax(wire::writer& out, const syntax_id& s);

// NUL-terminated text as sent: everything up to the first NUL (all of it when
// there is none).
std::string text_until_nul(std::span<const std::uint8_t> bytes);
// The text followed by its NUL, when the NUL still fits `limit` bytes: a value
// that arrived filling its field without a NUL goes back the same way.
std::vector<std::uint8_t> text_with_nul(std::string_view text, std::size_t limit);

std::string hex8(std::uint8_t v); // "0a"

} // namespace edgeprobe::dcerpc::ndr
