// Protocol towers: floors as the wire holds them, read by their protocol ids
// and named as a protocol only in the exact shapes [MS-RPCE] uses.
#include "probes/rpc_epm/dcerpc_tower.hpp"

#include "probes/rpc_epm/ndr.hpp"

#include <boost/asio/ip/address_v4.hpp>

namespace edgeprobe::dcerpc {

namespace {

using wire::failure;

tower_floor make_floor(std::vector<std::uint8_t> lhs, std::vector<std::uint8_t> rhs) {
  return tower_floor{std::move(lhs), std::move(rhs)};
}

tower_floor syntax_floor(const syntax_id& s) {
  wire::writer lhs = ndr::little_writer();
  lhs.u8(protocol_id::uuid);
  ndr::write_uuid(lhs, s.id);
  lhs.u16(s.major);
  wire::writer rhs = ndr::little_writer();
  rhs.u16(s.minor);
  return make_floor(lhs.take(), rhs.take());
}

syntax_id read_syntax_floor(const tower_floor& f, int number, std::size_t offset) {
  if (f.lhs.size() != 19 || f.lhs[0] != protocol_id::uuid || f.rhs.size() != 2)
    throw failure{offset, "floor " + std::to_string(number) + " is not a UUID floor (0D + UUID + version)"};
  wire::reader lhs = ndr::little_reader(f.lhs);
  lhs.u8("the protocol id");
  syntax_id s;
  s.id = ndr::read_uuid(lhs, "the UUID");
  s.major = lhs.u16("the major version");
  s.minor = ndr::little_reader(f.rhs).u16("the minor version");
  return s;
}

std::string ipv4_text(std::span<const std::uint8_t> b) {
  return boost::asio::ip::address_v4({b[0], b[1], b[2], b[3]}).to_string();
}

} // namespace

// ---------------------------------------------------------------- towers

wire::decoded<tower> decode_tower(std::span<const std::uint8_t> octets) {
  return wire::decoding([&] {
    wire::reader in = ndr::little_reader(octets);
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
        t.port = wire::reader(f4.rhs).u16be("the port"); // network order, unlike the rest of the tower
        break;
      case protocol_id::smb:
      case protocol_id::named_pipe:
      case protocol_id::unix_socket: t.endpoint = ndr::text_until_nul(f4.rhs); break;
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
        t.address = ndr::text_until_nul(f5.rhs);
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
  wire::writer w = ndr::little_writer();
  if (floors.size() > 0xFFFF) return {};
  w.u16(static_cast<std::uint16_t>(floors.size()));
  for (const auto& f : floors) {
    if (f.lhs.size() > 0xFFFF || f.rhs.size() > 0xFFFF) return {};
    w.u16(static_cast<std::uint16_t>(f.lhs.size()));
    w.bytes(f.lhs);
    w.u16(static_cast<std::uint16_t>(f.rhs.size()));
    w.bytes(f.rhs);
  }
  return w.take();
}

std::optional<std::vector<tower_floor>> build_floors(const tower& t) {
  std::vector<tower_floor> f{syntax_floor(t.interface), syntax_floor(t.transfer_syntax)};
  const auto id = [](std::uint8_t v) { return std::vector<std::uint8_t>{v}; };
  const std::vector<std::uint8_t> minor0{0, 0};
  const auto port = [&] {
    wire::writer p; // network order
    p.u16be(t.port.value_or(0));
    return p.take();
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
    return ndr::text_with_nul(s, 0xFFFF);
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
  for (std::size_t i = 2; i < t.floors.size(); ++i) out += " " + ndr::hex8(t.floors[i].lhs[0]);
  return out;
}

} // namespace edgeprobe::dcerpc
