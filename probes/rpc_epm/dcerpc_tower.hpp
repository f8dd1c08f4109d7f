// Protocol towers (C706 appendix L, with [MS-RPCE]'s floors): how an
// endpoint mapper names where an interface listens. Part of the codec
// dcerpc.hpp gathers.
#pragma once
#include "probes/rpc_epm/dcerpc_pdu.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::dcerpc {

// ---------------------------------------------------------------- towers (C706 appendix L)

namespace protocol_id {
constexpr std::uint8_t osi_tp4 = 0x05, osi_clns = 0x06, tcp = 0x07, udp = 0x08, ip = 0x09;
constexpr std::uint8_t ncadg = 0x0A;      // RPC connectionless (major 4)
constexpr std::uint8_t ncacn = 0x0B;      // RPC connection-oriented (major 5)
constexpr std::uint8_t ncalrpc = 0x0C;    // [MS-RPCE] local RPC
constexpr std::uint8_t uuid = 0x0D;       // interface or transfer syntax
constexpr std::uint8_t smb = 0x0F;        // [MS-RPCE] named pipe over SMB, instead of C706's 0x10
constexpr std::uint8_t named_pipe = 0x10; // C706 "Named Pipes"; [MS-RPCE] ncalrpc port name
constexpr std::uint8_t netbios = 0x11, netbeui = 0x12, spx = 0x13, ipx = 0x14, appletalk_stream = 0x16,
                       appletalk_datagram = 0x17, appletalk = 0x18, vines_spp = 0x1A, vines_ipc = 0x1B,
                       streettalk = 0x1C, http = 0x1F;
constexpr std::uint8_t unix_socket = 0x20; // socket pathname
constexpr std::uint8_t null = 0x21;
} // namespace protocol_id

constexpr std::size_t max_floors = 6; // ncacn_ip_tcp has 5; more is not a tower anyone sends

struct tower_floor {
  std::vector<std::uint8_t> lhs; // protocol id first, then its data
  std::vector<std::uint8_t> rhs; // related or addressing information
  bool operator==(const tower_floor&) const = default;
};

struct tower {
  syntax_id interface;       // floor 1
  syntax_id transfer_syntax; // floor 2
  // The exact floor shapes [MS-RPCE] uses: "ncacn_ip_tcp" (5 floors: 0B,
  // 07 port, 09 IPv4), "ncacn_np" (0B, 0F pipe, 11 NetBIOS name), "ncalrpc"
  // (4 floors: 0C, 10 port name), "ncacn_http" (0B, 1F port, 09 IPv4),
  // "ncadg_ip_udp" (0A, 08 port, 09 IPv4); "" for any other shape. Floors 4
  // and 5 are read by their protocol ids either way.
  std::string protocol;
  std::optional<std::uint16_t> port; // floor 4 tcp, udp, http: big-endian on the wire
  // Floor 4 pipe (ncacn_np "\pipe\samr"), port name (ncalrpc "rpcd_lsad")
  // or socket path (20), and floor 5's address: IPv4 text, or the NetBIOS
  // name (often empty: Samba sends just the NUL). Strings are the bytes as
  // sent, up to the first NUL: pass them through printable() before they go
  // into a report.
  std::string endpoint;
  std::string address;
  std::vector<tower_floor> floors; // every floor as on the wire
};

// The tower octet string (what twr_t.tower_octet_string holds). Floors 1 and
// 2 must be UUID floors; at least 3 floors, at most max_floors. Bytes after
// the last floor are ignored. Known floors with the wrong size (a 3-byte port,
// a 5-byte IPv4 address) are errors; unknown protocol ids are kept raw.
wire::decoded<tower> decode_tower(std::span<const std::uint8_t> octets);

// The octet string of exactly these floors (encode_floors(decode_tower(b).floors)
// gives b back without trailing bytes).
std::vector<std::uint8_t> encode_floors(std::span<const tower_floor> floors);

// Floors for t.interface, t.transfer_syntax, t.protocol (one of the five
// named above), t.port, t.endpoint, t.address (an IPv4 text where one is
// needed, "" meaning 0.0.0.0). nullopt for another protocol or an address
// that is not IPv4 text.
std::optional<std::vector<tower_floor>> build_floors(const tower& t);
std::optional<std::vector<std::uint8_t>> encode_tower(const tower& t);

// The ncacn_ip_tcp tower a client sends to ept_map: port 0, address 0.0.0.0,
// transfer syntax NDR v2. 75 bytes once encoded.
tower tcp_query_tower(const syntax_id& interface);

// String binding for evidence: "ncacn_ip_tcp:127.0.0.1[49154]",
// "ncacn_np:[\pipe\samr]", "ncalrpc:[rpcd_lsad]"; for an unnamed shape the
// protocol ids of floors 3 onwards, "floors 0b 07 09 20".
std::string binding_text(const tower& t);

} // namespace edgeprobe::dcerpc
