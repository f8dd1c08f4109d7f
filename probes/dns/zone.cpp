// The demo zone and the authoritative answer logic of the responder.
#include "probes/dns/responder.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

constexpr std::uint32_t demo_ttl = 300;

bool in_zone(std::string_view name, std::string_view origin) {
  if (dns::same_name(name, origin)) return true;
  return name.size() > origin.size() + 1 && name[name.size() - origin.size() - 1] == '.' &&
         dns::same_name(name.substr(name.size() - origin.size()), origin);
}

dns::record soa_record(const dns_zone& zone) {
  return {zone.origin, dns::type::soa, dns::class_in, zone.soa.minimum, zone.soa};
}

} // namespace

dns_zone demo_zone() {
  namespace ip = boost::asio::ip;
  const std::string o = "demo.edgeprobe.test";
  dns_zone z;
  z.origin = o;
  z.soa = {"ns." + o, "hostmaster." + o, 2024010101, 3600, 600, 86400, 60};
  auto add = [&](std::string name, std::uint16_t type, dns::rdata data) {
    z.records.push_back({std::move(name), type, dns::class_in, demo_ttl, std::move(data)});
  };
  // Documentation-range addresses (RFC 5737 / 3849): visible in answers, never connected to.
  add(o, dns::type::a, ip::make_address_v4("192.0.2.10"));
  add(o, dns::type::a, ip::make_address_v4("192.0.2.11"));
  add(o, dns::type::a, ip::make_address_v4("192.0.2.12"));
  add(o, dns::type::aaaa, ip::make_address_v6("2001:db8::10"));
  add("www." + o, dns::type::cname, dns::name_rdata{o});
  add("sip." + o, dns::type::a, ip::make_address_v4("192.0.2.20"));
  add("_sip._tls." + o, dns::type::srv, dns::srv_rdata{0, 0, 443, "sip." + o});
  add(o, dns::type::txt, dns::txt_rdata{{"v=spf1 -all"}});
  add(o, dns::type::mx, dns::mx_rdata{10, "sip." + o});
  add(o, dns::type::ns, dns::name_rdata{"ns." + o});
  add("ns." + o, dns::type::a, ip::make_address_v4("127.0.0.1"));
  // Loopback names the demo connects to: two addresses, one check per address.
  add("app." + o, dns::type::a, ip::make_address_v4("127.0.0.1"));
  add("app." + o, dns::type::a, ip::make_address_v4("127.0.0.2"));
  z.servfail.push_back("broken." + o);
  return z;
}

std::optional<std::vector<std::uint8_t>> answer_query(const dns_zone& zone, std::span<const std::uint8_t> bytes) {
  auto parsed = dns::parse_message(bytes);
  if (!parsed || parsed.value->head.qr) return std::nullopt;
  const auto& query = *parsed.value;
  dns::message reply;
  reply.head.id = query.head.id;
  reply.head.qr = true;
  reply.head.opcode = query.head.opcode;
  reply.head.rd = query.head.rd;
  reply.questions = query.questions;
  if (query.head.opcode != 0 || query.questions.size() != 1) {
    reply.head.rcode = query.head.opcode != 0 ? dns::rcode::notimp : dns::rcode::formerr;
    return dns::encode_message(reply);
  }
  const auto& q = query.questions.front();
  if (!in_zone(q.name, zone.origin)) {
    reply.head.rcode = dns::rcode::refused; // not ours, and no recursion here
    return dns::encode_message(reply);
  }
  if (std::any_of(zone.servfail.begin(), zone.servfail.end(), [&](const auto& n) { return dns::same_name(n, q.name); })) {
    reply.head.rcode = dns::rcode::servfail;
    return dns::encode_message(reply);
  }
  reply.head.aa = true;
  // Follow CNAMEs inside the zone, as an authoritative server does (bounded: no loops).
  std::string name = q.name;
  bool exists = false;
  for (int hops = 0; hops < 8; ++hops) {
    bool moved = false;
    for (const auto& r : zone.records) {
      if (!dns::same_name(r.name, name)) continue;
      exists = true;
      if (r.type == q.type || (r.type == dns::type::cname && q.type != dns::type::cname)) reply.answers.push_back(r);
      if (r.type == dns::type::cname && q.type != dns::type::cname) {
        name = std::get<dns::name_rdata>(r.data).name;
        moved = true;
      }
    }
    if (!moved) break;
  }
  if (!exists) reply.head.rcode = dns::rcode::nxdomain;
  if (reply.answers.empty()) reply.authority.push_back(soa_record(zone)); // negative answers carry the SOA
  return dns::encode_message(reply);
}

} // namespace edgeprobe
