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

std::vector<boost::asio::ip::address> answered_addresses(const std::vector<boost::asio::ip::address>& served) {
  namespace ip = boost::asio::ip;
  std::vector<ip::address> out;
  auto add = [&](ip::address a) {
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  };
  for (const auto& a : served) {
    if (a.is_unspecified() && a.is_v4()) {
      // 0.0.0.0 receives on every local address, so on all of 127/8: three
      // answers to show, none of which leaves the machine.
      for (const char* loopback : {"127.0.0.1", "127.0.0.2", "127.0.0.3"}) add(ip::make_address_v4(loopback));
    } else if (a.is_unspecified()) {
      add(ip::address_v6::loopback());
    } else {
      add(a);
    }
  }
  return out;
}

dns_zone demo_zone(const std::vector<boost::asio::ip::address>& served) {
  namespace ip = boost::asio::ip;
  const std::string o = "demo.edgeprobe.test";
  dns_zone z;
  z.origin = o;
  z.soa = {"ns." + o, "hostmaster." + o, 2024010101, 3600, 600, 86400, 60};
  auto add = [&](std::string name, std::uint16_t type, dns::rdata data) {
    z.records.push_back({std::move(name), type, dns::class_in, demo_ttl, std::move(data)});
  };
  auto add_address = [&](const std::string& name, const ip::address& a) {
    if (a.is_v4()) add(name, dns::type::a, a.to_v4());
    else add(name, dns::type::aaaa, a.to_v6());
  };
  // Only addresses the responders themselves listen on: a check pointed at
  // this zone must never send a packet off the machine.
  const auto addresses = answered_addresses(served);
  for (const auto& a : addresses) add_address(o, a);
  add("www." + o, dns::type::cname, dns::name_rdata{o});
  if (!addresses.empty()) {
    add_address("sip." + o, addresses.front());
    add_address("ns." + o, addresses.front());
  }
  add("_sip._tls." + o, dns::type::srv, dns::srv_rdata{0, 0, 443, "sip." + o});
  add(o, dns::type::txt, dns::txt_rdata{{"v=spf1 -all"}});
  add(o, dns::type::mx, dns::mx_rdata{10, "sip." + o});
  add(o, dns::type::ns, dns::name_rdata{"ns." + o});
  // Where a check connects once per address: the first two IPv4 addresses.
  int app_addresses = 0;
  for (const auto& a : addresses)
    if (a.is_v4() && app_addresses++ < 2) add_address("app." + o, a);
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
