#include "net/icmp_errors.hpp"

#include "net/endpoint_text.hpp"

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace edgeprobe {

namespace {

// Enough for the few errors one exchange can provoke; bounded so a flood of
// ICMP cannot keep the caller reading.
constexpr int max_drained = 32;

using byte_span = std::span<const std::uint8_t>;

// A sockaddr_in or sockaddr_in6 at the start of `bytes`; nullopt when it is
// neither or does not fit. Copied out, as the bytes carry no alignment promise.
std::optional<net::ip::udp::endpoint> to_endpoint(byte_span bytes) {
  sa_family_t family = 0;
  if (bytes.size() < sizeof family) return std::nullopt;
  std::memcpy(&family, bytes.data(), sizeof family);
  if (family == AF_INET && bytes.size() >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, bytes.data(), sizeof in);
    return net::ip::udp::endpoint(net::ip::address_v4(ntohl(in.sin_addr.s_addr)), ntohs(in.sin_port));
  }
  if (family == AF_INET6 && bytes.size() >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, bytes.data(), sizeof in6);
    net::ip::address_v6::bytes_type raw;
    std::memcpy(raw.data(), &in6.sin6_addr, raw.size());
    const auto v6 = net::ip::address_v6(raw, in6.sin6_scope_id);
    // A v6 socket talking to a v4-mapped peer: report the IPv4 address people know.
    const auto address = v6.is_v4_mapped() ? net::ip::address(net::ip::make_address_v4(net::ip::v4_mapped, v6))
                                           : net::ip::address(v6);
    return net::ip::udp::endpoint(address, ntohs(in6.sin6_port));
  }
  return std::nullopt;
}

// One IP_RECVERR / IPV6_RECVERR record: sock_extended_err, then the offender's
// sockaddr (SO_EE_OFFENDER) in what is left of the record.
icmp_error decode_record(byte_span data, const std::optional<net::ip::udp::endpoint>& about) {
  sock_extended_err ee{};
  std::memcpy(&ee, data.data(), sizeof ee);
  icmp_error e;
  e.v6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
  e.local = ee.ee_origin == SO_EE_ORIGIN_LOCAL;
  e.type = ee.ee_type;
  e.code = ee.ee_code;
  e.error_number = static_cast<int>(ee.ee_errno);
  e.kind = e.local ? icmp_kind::other : classify_icmp(e.v6, e.type, e.code);
  // Local errors carry no offender (its family is AF_UNSPEC): `from` stays unset.
  if (const auto offender = to_endpoint(data.subspan(sizeof ee))) e.from = offender->address();
  e.about = about;
  return e;
}

std::string icmp_name(bool v6, std::uint8_t type, std::uint8_t code) {
  if (!v6 && type == 3) {
    static constexpr std::array<const char*, 16> names = {
        "net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
        "fragmentation needed", "source route failed", "destination network unknown",
        "destination host unknown", "source host isolated", "network administratively prohibited",
        "host administratively prohibited", "network unreachable for TOS", "host unreachable for TOS",
        "communication administratively prohibited", "host precedence violation", "precedence cutoff"};
    if (code < names.size()) return names[code];
  }
  if (v6 && type == 1) {
    static constexpr std::array<const char*, 7> names = {
        "no route to destination", "communication administratively prohibited", "beyond scope of source address",
        "address unreachable", "port unreachable", "source address failed ingress/egress policy",
        "reject route to destination"};
    if (code < names.size()) return names[code];
  }
  if ((!v6 && type == 11) || (v6 && type == 3)) return "time exceeded in transit";
  if (v6 && type == 2) return "packet too big";
  return "error";
}

} // namespace

icmp_kind classify_icmp(bool v6, std::uint8_t type, std::uint8_t code) {
  if (!v6 && type == 3) {
    switch (code) {
      case 3: return icmp_kind::port_unreachable;
      case 0: case 5: case 6: case 11: return icmp_kind::net_unreachable;
      case 1: case 2: case 7: case 8: case 12: return icmp_kind::host_unreachable;
      case 9: case 10: case 13: case 14: case 15: return icmp_kind::admin_prohibited;
      default: return icmp_kind::other;
    }
  }
  if (v6 && type == 1) {
    switch (code) {
      case 4: return icmp_kind::port_unreachable;
      case 0: case 2: return icmp_kind::net_unreachable;
      case 3: return icmp_kind::host_unreachable;
      case 1: case 5: case 6: return icmp_kind::admin_prohibited;
      default: return icmp_kind::other;
    }
  }
  return icmp_kind::other;
}

bool time_exceeded(const icmp_error& e) { return !e.local && e.type == (e.v6 ? 3 : 11); }

std::string meaning(const icmp_error& e) {
  if (e.local) return std::system_category().message(e.error_number);
  return icmp_name(e.v6, e.type, e.code);
}

std::string describe(const icmp_error& e) {
  if (e.local) return std::system_category().message(e.error_number) + " (raised by this host)";
  return icmp_name(e.v6, e.type, e.code) + " (ICMP" + (e.v6 ? "v6" : "") + " type " + std::to_string(e.type) +
         " code " + std::to_string(e.code) + ")";
}

nlohmann::json to_json(const icmp_error& e) {
  nlohmann::json j = {{"family", e.v6 ? "icmpv6" : "icmp"}, {"type", e.type},           {"code", e.code},
                      {"meaning", meaning(e)},               {"description", describe(e)},
                      {"from", e.from ? nlohmann::json(e.from->to_string()) : nlohmann::json()}};
  if (e.about) j["about"] = endpoint_text(*e.about);
  if (e.local) j["local"] = true;
  return j;
}

reason icmp_reason(const icmp_error& e) {
  switch (e.kind) {
    case icmp_kind::host_unreachable: return reason::tcp_host_unreachable;
    case icmp_kind::admin_prohibited: return reason::tcp_admin_prohibited;
    case icmp_kind::port_unreachable: return reason::udp_port_unreachable; // stun/sqlbrowser use their own
    case icmp_kind::net_unreachable:
    case icmp_kind::other: break;
  }
  // Time exceeded (a routing loop) and the rest: the route is what to trace.
  return e.local ? reason::tcp_no_route : reason::tcp_net_unreachable;
}

namespace {

boost::system::error_code set_recverr(int fd, bool v6, bool on) {
  const int value = on ? 1 : 0;
  if (::setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, &value, sizeof value) != 0)
    return {errno, boost::system::system_category()};
  return {};
}

} // namespace

boost::system::error_code enable_icmp_errors(net::ip::udp::socket& socket, bool v6) {
  return set_recverr(socket.native_handle(), v6, true);
}

boost::system::error_code enable_icmp_errors(net::ip::tcp::socket& socket, bool v6) {
  return set_recverr(socket.native_handle(), v6, true);
}

void disable_icmp_errors(net::ip::tcp::socket& socket, bool v6) {
  // Failure leaves the option on, which only makes later errors stricter.
  (void)set_recverr(socket.native_handle(), v6, false);
}

std::vector<icmp_error> decode_error_queue(std::span<const std::uint8_t> control,
                                           std::span<const std::uint8_t> name) {
  std::vector<icmp_error> out;
  const auto about = to_endpoint(name);
  std::size_t offset = 0;
  // Walked by hand rather than with CMSG_NXTHDR so that a record's cmsg_len is
  // checked against the bytes actually given, never trusted.
  while (control.size() - offset >= sizeof(cmsghdr)) {
    cmsghdr header{};
    std::memcpy(&header, control.data() + offset, sizeof header);
    if (header.cmsg_len < CMSG_LEN(0) || header.cmsg_len > control.size() - offset) break;
    const auto data = control.subspan(offset + CMSG_LEN(0), header.cmsg_len - CMSG_LEN(0));
    const bool recverr = (header.cmsg_level == SOL_IP && header.cmsg_type == IP_RECVERR) ||
                         (header.cmsg_level == SOL_IPV6 && header.cmsg_type == IPV6_RECVERR);
    if (recverr && data.size() >= sizeof(sock_extended_err)) out.push_back(decode_record(data, about));
    offset += CMSG_ALIGN(header.cmsg_len);
    if (offset > control.size()) break;
  }
  return out;
}

namespace {

std::vector<icmp_error> drain(int fd) {
  std::vector<icmp_error> out;
  for (int i = 0; i < max_drained; ++i) {
    sockaddr_storage name{};
    std::array<char, 64> payload{}; // the offending datagram's start; not needed, may be truncated
    alignas(cmsghdr) std::array<std::uint8_t, 512> control{};
    iovec iov{payload.data(), payload.size()};
    msghdr msg{};
    msg.msg_name = &name;
    msg.msg_namelen = sizeof name;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break; // EAGAIN: queue empty
    const auto received = clock::now();
    const std::span<const std::uint8_t> name_bytes(reinterpret_cast<const std::uint8_t*>(&name),
                                                   std::min<std::size_t>(msg.msg_namelen, sizeof name));
    for (auto& e : decode_error_queue(std::span(control).first(std::min(msg.msg_controllen, control.size())),
                                      name_bytes)) {
      e.received = received;
      out.push_back(std::move(e));
    }
  }
  return out;
}

} // namespace

std::vector<icmp_error> drain_icmp_errors(net::ip::udp::socket& socket) { return drain(socket.native_handle()); }
std::vector<icmp_error> drain_icmp_errors(net::ip::tcp::socket& socket) { return drain(socket.native_handle()); }

} // namespace edgeprobe
