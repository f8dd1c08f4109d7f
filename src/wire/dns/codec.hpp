// DNS wire codec (RFC 1035 and the record types edgeprobe checks): pure functions
// from bytes to messages and back, bounds-checked, no I/O.
#pragma once
#include "wire/decoded.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace edgeprobe::dns {

namespace type {
constexpr std::uint16_t a = 1, ns = 2, cname = 5, soa = 6, ptr = 12, mx = 15, txt = 16, aaaa = 28, srv = 33,
                        opt = 41, caa = 257;
}
constexpr std::uint16_t class_in = 1;

namespace rcode {
constexpr std::uint8_t noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4, refused = 5;
}

struct header {
  std::uint16_t id = 0;
  bool qr = false, aa = false, tc = false, rd = false, ra = false, ad = false, cd = false;
  std::uint8_t opcode = 0;
  std::uint8_t rcode = 0; // the low 4 bits of the header (EDNS extended rcodes are not combined)
};

struct question {
  std::string name; // presentation form without the trailing dot ("" is the root)
  std::uint16_t type = 0;
  std::uint16_t klass = class_in;
};

// Names inside rdata (CNAME, NS, PTR) use the same presentation form as question::name.
struct name_rdata { std::string name; };
struct mx_rdata { std::uint16_t preference = 0; std::string exchange; };
struct srv_rdata { std::uint16_t priority = 0, weight = 0, port = 0; std::string target; };
struct txt_rdata { std::vector<std::string> strings; };
struct caa_rdata { std::uint8_t flags = 0; std::string tag; std::string value; };
struct soa_rdata {
  std::string mname, rname;
  std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};
struct raw_rdata { std::vector<std::uint8_t> bytes; }; // types this codec does not decode

using rdata = std::variant<boost::asio::ip::address_v4, boost::asio::ip::address_v6, name_rdata, mx_rdata, srv_rdata,
                           txt_rdata, caa_rdata, soa_rdata, raw_rdata>;

struct record {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t klass = class_in;
  std::uint32_t ttl = 0;
  rdata data;
};

struct message {
  header head;
  std::vector<question> questions;
  std::vector<record> answers;
  std::vector<record> authority;
  std::vector<record> additional;
};

// Parses a whole DNS message. Every count and length is checked against the bytes
// actually present; compression pointers may only point backwards, so they cannot loop.
// On failure, error.offset is where parsing stopped and error.what what was wrong there.
wire::decoded<message> parse_message(std::span<const std::uint8_t> bytes);

// Encodes a message without name compression (answers stay small enough for the
// responder). nullopt when a name is not encodable (label over 63, name over 255 bytes)
// or a TXT/CAA string is over 255 bytes.
std::optional<std::vector<std::uint8_t>> encode_message(const message& m);

// A standard query with one question; nullopt for a name that cannot be encoded.
std::optional<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name, std::uint16_t qtype,
                                                     bool recursion_desired);

// Presentation forms, as dig shows them (names without the trailing dot).
std::string rdata_text(const record& r);  // "10 5 5061 sip.contoso.com", "192.0.2.1", "v=spf1 -all"
std::string type_name(std::uint16_t type); // "SRV", or "TYPE65" for unknown types
std::optional<std::uint16_t> type_from_name(std::string_view name);
std::string rcode_name(std::uint8_t rcode); // "NXDOMAIN", or "RCODE11"
std::optional<std::uint8_t> rcode_from_name(std::string_view name);

// One label's bytes as a name shows them: '.', '\\' and '"' after a backslash,
// bytes outside printable ASCII (and the space) as \DDD ("a\032b").
std::string label_text(std::string_view label);

// Case-insensitive name comparison that ignores one trailing dot on either side.
bool same_name(std::string_view a, std::string_view b);

} // namespace edgeprobe::dns
