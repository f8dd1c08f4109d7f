// Presentation forms of records, types and rcodes, as dig prints them.
#include "wire/dns/codec.hpp"

#include "wire/ascii.hpp"

#include <array>
#include <utility>

namespace edgeprobe::dns {

namespace {

constexpr std::array<std::pair<std::uint16_t, std::string_view>, 11> type_names{{
    {type::a, "A"}, {type::ns, "NS"}, {type::cname, "CNAME"}, {type::soa, "SOA"}, {type::ptr, "PTR"},
    {type::mx, "MX"}, {type::txt, "TXT"}, {type::aaaa, "AAAA"}, {type::srv, "SRV"}, {type::opt, "OPT"},
    {type::caa, "CAA"},
}};

constexpr std::array<std::string_view, 6> rcode_names{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

std::string text_of(const boost::asio::ip::address_v4& a) { return a.to_string(); }
std::string text_of(const boost::asio::ip::address_v6& a) { return a.to_string(); }
std::string text_of(const name_rdata& d) { return d.name; }
std::string text_of(const mx_rdata& d) { return std::to_string(d.preference) + " " + d.exchange; }
std::string text_of(const srv_rdata& d) {
  return std::to_string(d.priority) + " " + std::to_string(d.weight) + " " + std::to_string(d.port) + " " + d.target;
}
// The strings joined: SPF, DKIM and verification records are meant as one text.
std::string text_of(const txt_rdata& d) {
  std::string out;
  for (const auto& s : d.strings) out += s;
  return out;
}
std::string text_of(const caa_rdata& d) { return std::to_string(d.flags) + " " + d.tag + " \"" + d.value + "\""; }
std::string text_of(const soa_rdata& d) {
  return d.mname + " " + d.rname + " " + std::to_string(d.serial) + " " + std::to_string(d.refresh) + " " +
         std::to_string(d.retry) + " " + std::to_string(d.expire) + " " + std::to_string(d.minimum);
}
// RFC 3597's generic form for types this codec does not decode.
std::string text_of(const raw_rdata& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "\\# " + std::to_string(d.bytes.size()) + (d.bytes.empty() ? "" : " ");
  for (auto b : d.bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0F]);
  }
  return out;
}

} // namespace

std::string rdata_text(const record& r) {
  return std::visit([](const auto& d) { return text_of(d); }, r.data);
}

std::string type_name(std::uint16_t t) {
  for (const auto& [value, name] : type_names)
    if (value == t) return std::string(name);
  return "TYPE" + std::to_string(t);
}

std::optional<std::uint16_t> type_from_name(std::string_view name) {
  for (const auto& [value, known] : type_names)
    if (iequals_ascii(known, name)) return value;
  return std::nullopt;
}

std::string rcode_name(std::uint8_t rc) {
  if (rc < rcode_names.size()) return std::string(rcode_names[rc]);
  return "RCODE" + std::to_string(rc);
}

std::optional<std::uint8_t> rcode_from_name(std::string_view name) {
  for (std::size_t i = 0; i < rcode_names.size(); ++i)
    if (iequals_ascii(rcode_names[i], name)) return static_cast<std::uint8_t>(i);
  return std::nullopt;
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() > 1 && a.back() == '.') a.remove_suffix(1);
  if (b.size() > 1 && b.back() == '.') b.remove_suffix(1);
  return iequals_ascii(a, b);
}

} // namespace edgeprobe::dns
