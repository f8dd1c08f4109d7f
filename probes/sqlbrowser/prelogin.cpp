// TDS PRELOGIN packets. The option table is read in two passes: first every
// entry up to TERMINATOR, so the table's end is known, then each entry's data,
// which must lie between that end and the end of the packet.
#include "probes/sqlbrowser/prelogin.hpp"

#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <algorithm>
#include <initializer_list>

namespace edgeprobe::tds {

namespace {

constexpr std::size_t max_packet = 65535;
constexpr std::size_t option_entry_size = 5; // token, offset (2), length (2)

using wire::failure;

std::string hex_byte(std::uint8_t b) {
  constexpr char hex[] = "0123456789ABCDEF";
  return std::string("0x") + hex[b >> 4] + hex[b & 0x0F];
}

// VERSION's 6 bytes (length checked by the caller): UL_VERSION, US_SUBBUILD.
version_info read_version(const prelogin_option& o) {
  wire::reader in(o.data);
  version_info v;
  v.major = in.u8("the major version");
  v.minor = in.u8("the minor version");
  v.build = in.u16be("the build number");
  v.sub_build = in.u16be("the sub-build number");
  return v;
}

std::vector<std::uint8_t> version_bytes(const version_info& v) {
  wire::writer out;
  out.u8(v.major);
  out.u8(v.minor);
  out.u16be(v.build);
  out.u16be(v.sub_build);
  return out.take();
}

// Where each option's entry and data sit, so typed checks can name an offset.
struct located {
  prelogin_packet packet;
  std::vector<std::size_t> entry_at; // per option: offset of its table entry in the packet
};

located decode_located(std::span<const std::uint8_t> bytes) {
  located out;
  if (bytes.size() < header_size)
    throw failure{bytes.size(), "shorter than a TDS packet header (8 bytes)"};
  wire::reader in(bytes);
  packet_header& h = out.packet.header;
  h.type = in.u8("the packet type");
  h.status = in.u8("the status");
  h.length = in.u16be("the packet length");
  h.spid = in.u16be("the SPID");
  h.packet_id = in.u8("the packet id");
  h.window = in.u8("the window");
  if (h.length < header_size)
    throw failure{2, "header length " + std::to_string(h.length) + " is shorter than the header itself"};
  if (h.length > bytes.size())
    throw failure{bytes.size(), "packet ends after " + std::to_string(bytes.size()) + " of the " +
                                    std::to_string(h.length) + " bytes its header announces"};
  if (h.length < bytes.size())
    throw failure{h.length, std::to_string(bytes.size() - h.length) + " bytes follow the " +
                                std::to_string(h.length) + "-byte packet"};
  if (!(h.status & packet_status::eom))
    throw failure{1, "status " + hex_byte(h.status) + " lacks EOM: a PRELOGIN split over packets is not supported"};

  // Offsets in the table count from the end of the header; errors name
  // offsets in the packet.
  wire::reader payload(in.rest(), wire::byte_order::big, header_size);
  struct entry {
    std::uint8_t token;
    std::size_t offset, length, at;
  };
  std::vector<entry> entries;
  for (;;) {
    if (payload.at_end()) throw failure{payload.pos(), "option table ends without TERMINATOR (0xFF)"};
    const std::size_t entry_at = payload.pos();
    const std::uint8_t token = payload.u8("an option token");
    if (token == option::terminator) break;
    if (payload.remaining() < option_entry_size - 1)
      throw failure{entry_at, "option table entry for " + option_name(token) + " runs past the packet"};
    for (const auto& e : entries)
      if (e.token == token) throw failure{entry_at, "option " + option_name(token) + " appears twice"};
    const std::size_t offset = payload.u16be("an option offset");
    const std::size_t length = payload.u16be("an option length");
    entries.push_back({token, offset, length, entry_at});
  }
  const std::size_t table_end = payload.index();
  const std::size_t data_size = payload.size();
  for (const auto& e : entries) {
    if (e.offset < table_end)
      throw failure{e.at + 1, option_name(e.token) + " data at " + std::to_string(e.offset) +
                                  " lies inside the option table (which ends at " + std::to_string(table_end) + ")"};
    if (e.offset > data_size || data_size - e.offset < e.length)
      throw failure{e.at + 1, option_name(e.token) + " data (" + std::to_string(e.length) + " bytes at " +
                                  std::to_string(e.offset) + ") runs past the packet's " +
                                  std::to_string(data_size) + " bytes of data"};
    const auto data = payload.at(e.offset, "option data").take(e.length, "option data");
    out.packet.options.push_back({e.token, {data.begin(), data.end()}});
    out.entry_at.push_back(e.at);
  }
  return out;
}

// The option's index, or npos.
std::size_t index_of(const prelogin_packet& p, std::uint8_t token) {
  for (std::size_t i = 0; i < p.options.size(); ++i)
    if (p.options[i].token == token) return i;
  return static_cast<std::size_t>(-1);
}

void expect_length(const located& l, std::size_t i, std::size_t want) {
  const auto& o = l.packet.options[i];
  if (o.data.size() != want)
    throw failure{l.entry_at[i] + 3, option_name(o.token) + " is " + std::to_string(o.data.size()) + " bytes, not " +
                                         std::to_string(want)};
}

std::size_t require(const located& l, std::uint8_t token) {
  const std::size_t i = index_of(l.packet, token);
  if (i == static_cast<std::size_t>(-1))
    throw failure{header_size, "PRELOGIN has no " + option_name(token) + " option"};
  return i;
}

void expect_type(const packet_header& h, std::uint8_t want, const char* what) {
  if (h.type != want)
    throw failure{0, "packet type " + hex_byte(h.type) + " is not " + what + " (" + hex_byte(want) + ")"};
}

// Encodes a packet from options sorted by token (stable), as SQL Server lays
// them out. nullopt for a repeated token, TERMINATOR as a token, or over 65,535 bytes.
std::optional<std::vector<std::uint8_t>> encode(std::uint8_t type, std::vector<prelogin_option> options) {
  std::stable_sort(options.begin(), options.end(), [](const auto& a, const auto& b) { return a.token < b.token; });
  for (std::size_t i = 0; i < options.size(); ++i)
    if (options[i].token == option::terminator || (i > 0 && options[i].token == options[i - 1].token))
      return std::nullopt;
  const std::size_t table = options.size() * option_entry_size + 1;
  std::size_t total = header_size + table;
  for (const auto& o : options) total += o.data.size();
  if (total > max_packet) return std::nullopt;

  wire::writer out;
  out.u8(type);
  out.u8(packet_status::eom);
  out.u16be(static_cast<std::uint16_t>(total));
  out.u16be(0); // SPID: a client has none yet, and SQL Server answers PRELOGIN with 0 too
  out.u8(1);    // packet id: the first packet of the message
  out.u8(0);    // window
  std::size_t data_at = table; // offsets count from the end of the header
  for (const auto& o : options) {
    out.u8(o.token);
    out.u16be(static_cast<std::uint16_t>(data_at));
    out.u16be(static_cast<std::uint16_t>(o.data.size()));
    data_at += o.data.size();
  }
  out.u8(option::terminator);
  for (const auto& o : options) out.bytes(o.data);
  return out.take();
}

bool typed(std::uint8_t token, std::initializer_list<std::uint8_t> tokens) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

} // namespace

std::string version_info::text() const {
  return std::to_string(major) + '.' + std::to_string(minor) + '.' + std::to_string(build);
}

const prelogin_option* prelogin_packet::find(std::uint8_t token) const {
  for (const auto& o : options)
    if (o.token == token) return &o;
  return nullptr;
}

std::optional<std::size_t> framed_size(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < header_size) return std::nullopt;
  return wire::reader(bytes).at(2, "the packet length").u16be("the packet length");
}

wire::decoded<prelogin_packet> decode_packet(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] { return decode_located(bytes).packet; });
}

wire::decoded<client_prelogin> parse_client_prelogin(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    const located l = decode_located(bytes);
    expect_type(l.packet.header, packet_type::prelogin, "PRELOGIN");
    const auto& options = l.packet.options;
    if (options.empty() || options.front().token != option::version)
      throw failure{header_size, "the first option is not VERSION (a server rejects such a PRELOGIN)"};
    client_prelogin c;
    c.thread_id.reset();
    c.mars.reset();
    for (std::size_t i = 0; i < options.size(); ++i) {
      const auto& o = options[i];
      switch (o.token) {
      case option::version:
        expect_length(l, i, 6);
        c.version = read_version(o);
        break;
      case option::encryption:
        expect_length(l, i, 1);
        c.encryption = o.data[0];
        break;
      case option::instopt: {
        const auto nul = std::find(o.data.begin(), o.data.end(), std::uint8_t{0});
        if (nul == o.data.end()) throw failure{l.entry_at[i] + 1, "INSTOPT is not NUL-terminated"};
        if (nul + 1 != o.data.end())
          throw failure{l.entry_at[i] + 3, "INSTOPT has " + std::to_string(o.data.end() - nul - 1) +
                                               " bytes after its NUL"};
        c.instance.assign(o.data.begin(), nul);
        break;
      }
      case option::threadid:
        expect_length(l, i, 4);
        c.thread_id = wire::reader(o.data, wire::byte_order::little).u32("THREADID");
        break;
      case option::mars:
        expect_length(l, i, 1);
        c.mars = o.data[0];
        break;
      default:
        c.others.push_back(o);
      }
    }
    require(l, option::encryption);
    return c;
  });
}

wire::decoded<server_prelogin> parse_server_prelogin(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    const located l = decode_located(bytes);
    expect_type(l.packet.header, packet_type::tabular_result, "a tabular result");
    server_prelogin s;
    const auto& options = l.packet.options;
    for (std::size_t i = 0; i < options.size(); ++i) {
      const auto& o = options[i];
      switch (o.token) {
      case option::version:
        expect_length(l, i, 6);
        s.version = read_version(o);
        break;
      case option::encryption:
        expect_length(l, i, 1);
        s.encryption = o.data[0];
        break;
      case option::instopt:
        expect_length(l, i, 1);
        s.instance_validity = o.data[0];
        break;
      case option::mars:
        expect_length(l, i, 1);
        s.mars = o.data[0];
        break;
      case option::fedauthrequired:
        expect_length(l, i, 1);
        s.fed_auth_required = o.data[0];
        break;
      default:
        s.others.push_back(o);
      }
    }
    require(l, option::version);
    require(l, option::encryption);
    return s;
  });
}

std::optional<std::vector<std::uint8_t>> build_client_prelogin(const client_prelogin& c) {
  if (c.instance.find('\0') != std::string::npos) return std::nullopt;
  for (const auto& o : c.others)
    if (typed(o.token, {option::version, option::encryption, option::instopt, option::threadid, option::mars}))
      return std::nullopt;
  std::vector<prelogin_option> options;
  options.push_back({option::version, version_bytes(c.version)});
  options.push_back({option::encryption, {c.encryption}});
  prelogin_option inst{option::instopt, {c.instance.begin(), c.instance.end()}};
  inst.data.push_back(0x00);
  options.push_back(std::move(inst));
  if (c.thread_id) {
    wire::writer thread_id(wire::byte_order::little); // the one little-endian field of PRELOGIN
    thread_id.u32(*c.thread_id);
    options.push_back({option::threadid, thread_id.take()});
  }
  if (c.mars) options.push_back({option::mars, {*c.mars}});
  options.insert(options.end(), c.others.begin(), c.others.end());
  return encode(packet_type::prelogin, std::move(options));
}

std::optional<std::vector<std::uint8_t>> build_server_prelogin(const server_prelogin& s) {
  for (const auto& o : s.others)
    if (typed(o.token, {option::version, option::encryption, option::instopt, option::mars, option::fedauthrequired}))
      return std::nullopt;
  std::vector<prelogin_option> options;
  options.push_back({option::version, version_bytes(s.version)});
  options.push_back({option::encryption, {s.encryption}});
  if (s.instance_validity) options.push_back({option::instopt, {*s.instance_validity}});
  if (s.mars) options.push_back({option::mars, {*s.mars}});
  if (s.fed_auth_required) options.push_back({option::fedauthrequired, {*s.fed_auth_required}});
  options.insert(options.end(), s.others.begin(), s.others.end());
  return encode(packet_type::tabular_result, std::move(options));
}

std::string encryption_name(std::uint8_t value) {
  std::string base;
  switch (value & 0x7F) {
  case encrypt::off:
    base = "ENCRYPT_OFF";
    break;
  case encrypt::on:
    base = "ENCRYPT_ON";
    break;
  case encrypt::not_sup:
    base = "ENCRYPT_NOT_SUP";
    break;
  case encrypt::req:
    base = "ENCRYPT_REQ";
    break;
  default:
    return hex_byte(value);
  }
  return value & encrypt::client_cert ? base + " + ENCRYPT_CLIENT_CERT" : base;
}

std::string option_name(std::uint8_t token) {
  switch (token) {
  case option::version:
    return "VERSION";
  case option::encryption:
    return "ENCRYPTION";
  case option::instopt:
    return "INSTOPT";
  case option::threadid:
    return "THREADID";
  case option::mars:
    return "MARS";
  case option::traceid:
    return "TRACEID";
  case option::fedauthrequired:
    return "FEDAUTHREQUIRED";
  case option::nonceopt:
    return "NONCEOPT";
  case option::terminator:
    return "TERMINATOR";
  }
  return hex_byte(token);
}

} // namespace edgeprobe::tds
