// The NDR stubs of the endpoint mapper's ept_map and ept_lookup (C706
// appendix O, as Windows and Samba marshal them): requests and responses,
// little-endian NDR only. Part of the codec dcerpc.hpp gathers.
#pragma once
#include "probes/rpc_epm/dcerpc_tower.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::dcerpc {

// ---------------------------------------------------------------- endpoint mapper stubs (NDR)

namespace opnum {
constexpr std::uint16_t ept_lookup = 2, ept_map = 3;
}
constexpr std::uint32_t max_towers_limit = 500; // towers or entries accepted in one answer

// ept_lookup_handle_t: a 20-byte context handle, all zero for "start".
using context_handle = std::array<std::uint8_t, 20>;
bool is_null(const context_handle& h);

struct ept_map_request {
  std::optional<uuid> object;                         // NULL pointer when empty
  std::optional<std::vector<std::uint8_t>> map_tower; // tower octets; NULL pointer when empty
  context_handle entry_handle{};
  std::uint32_t max_towers = 1;
};
// Referent IDs are 1 (object) and 2 (tower): Windows Server 2003 rejects
// others with bad stub data.
std::vector<std::uint8_t> encode_ept_map_request(const ept_map_request& r);
wire::decoded<ept_map_request> decode_ept_map_request(std::span<const std::uint8_t> stub);

// The probe's question: object = nil UUID, tower = tcp_query_tower(interface),
// NULL handle. 132 bytes of stub.
std::vector<std::uint8_t> ept_map_query(const syntax_id& interface, std::uint32_t max_towers);

struct ept_map_response {
  context_handle entry_handle{};
  std::uint32_t max_count = 0; // the array's conformance (the request's max_towers)
  std::vector<tower> towers;   // num_towers of them (NULL pointers are skipped)
  std::uint32_t status = 0;    // 0, or status::ept_not_registered
};
wire::decoded<ept_map_response> decode_ept_map_response(std::span<const std::uint8_t> stub);
// nullopt for more than max_towers_limit towers, or floors over 64 KiB.
std::optional<std::vector<std::uint8_t>> encode_ept_map_response(const ept_map_response& r);

namespace inquiry {
constexpr std::uint32_t all_elts = 0, match_by_if = 1, match_by_obj = 2, match_by_both = 3;
}
namespace vers_option {
constexpr std::uint32_t all = 1, compatible = 2, exact = 3, major_only = 4, upto = 5;
}

struct ept_lookup_request {
  std::uint32_t inquiry_type = inquiry::all_elts;
  std::optional<uuid> object;         // NULL pointer when empty (referent 1 otherwise)
  std::optional<syntax_id> interface; // NULL pointer when empty (referent 2 otherwise)
  std::uint32_t vers_option = vers_option::all;
  context_handle entry_handle{}; // zero to start, then the previous answer's
  std::uint32_t max_ents = max_towers_limit;
};
std::vector<std::uint8_t> encode_ept_lookup_request(const ept_lookup_request& r);
wire::decoded<ept_lookup_request> decode_ept_lookup_request(std::span<const std::uint8_t> stub);

constexpr std::size_t max_annotation = 64; // ept_max_annotation_size, the terminating NUL included

struct ept_entry {
  uuid object;
  std::optional<tower> endpoint; // NULL tower pointer when empty
  std::string annotation;        // as sent up to its NUL ("samr"); see printable()
};

// Enumeration: repeat with the returned entry_handle until status is not 0.
// The answer that carries status::ept_not_registered may still carry entries
// (Samba 4.17 sends its last page, or everything when max_ents is large,
// together with that status), so take the entries of every answer.
struct ept_lookup_response {
  context_handle entry_handle{};
  std::uint32_t max_count = 0; // the array's conformance (the request's max_ents)
  std::vector<ept_entry> entries;
  std::uint32_t status = 0;
};
wire::decoded<ept_lookup_response> decode_ept_lookup_response(std::span<const std::uint8_t> stub);
// nullopt for more than max_towers_limit entries, an annotation over 64 bytes
// or with a NUL inside, or floors over 64 KiB.
std::optional<std::vector<std::uint8_t>> encode_ept_lookup_response(const ept_lookup_response& r);

} // namespace edgeprobe::dcerpc
