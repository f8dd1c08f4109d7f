#include "net/socket_errors.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace edgeprobe {

namespace {

bool is_v6(net::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto local = socket.local_endpoint(ec);
  return !ec ? local.address().is_v6() : false;
}

std::optional<net::ip::address> offender_address(const sock_extended_err* ee) {
  const sockaddr* sa = SO_EE_OFFENDER(ee);
  if (sa->sa_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, sa, sizeof v4);
    return net::ip::address_v4(ntohl(v4.sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, sa, sizeof v6);
    net::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    return net::ip::address_v6(bytes, v6.sin6_scope_id);
  }
  return std::nullopt;
}

const char* icmp4_meaning(int type, int code) {
  if (type == 11) return "time exceeded in transit";
  if (type != 3) return "";
  switch (code) {
    case 0: return "network unreachable";
    case 1: return "host unreachable";
    case 2: return "protocol unreachable";
    case 3: return "port unreachable";
    case 4: return "fragmentation needed";
    case 5: return "source route failed";
    case 6: return "destination network unknown";
    case 7: return "destination host unknown";
    case 9: return "network administratively prohibited";
    case 10: return "host administratively prohibited";
    case 11: return "network unreachable for TOS";
    case 12: return "host unreachable for TOS";
    case 13: return "communication administratively prohibited";
    case 14: return "host precedence violation";
    case 15: return "precedence cutoff in effect";
    default: return "destination unreachable";
  }
}

const char* icmp6_meaning(int type, int code) {
  if (type == 3) return "hop limit exceeded in transit";
  if (type != 1) return "";
  switch (code) {
    case 0: return "no route to destination";
    case 1: return "communication administratively prohibited";
    case 2: return "beyond scope of source address";
    case 3: return "address unreachable";
    case 4: return "port unreachable";
    case 5: return "source address failed ingress/egress policy";
    case 6: return "reject route to destination";
    default: return "destination unreachable";
  }
}

reason icmp4_reason(int type, int code) {
  if (type == 11) return reason::tcp_net_unreachable; // a routing loop or a path too long
  if (type != 3) return reason::none;
  switch (code) {
    case 0: case 5: case 6: case 11: return reason::tcp_net_unreachable;
    case 1: case 2: case 7: case 8: case 12: return reason::tcp_host_unreachable;
    case 3: return reason::tcp_refused; // iptables' REJECT default for TCP: a firewall refusing
    case 9: case 10: case 13: case 14: case 15: return reason::tcp_admin_prohibited;
    default: return reason::none;
  }
}

reason icmp6_reason(int type, int code) {
  if (type == 3) return reason::tcp_net_unreachable;
  if (type != 1) return reason::none;
  switch (code) {
    case 0: case 2: case 7: return reason::tcp_net_unreachable;
    case 3: return reason::tcp_host_unreachable;
    case 4: return reason::tcp_refused;
    case 1: case 5: case 6: return reason::tcp_admin_prohibited;
    default: return reason::none;
  }
}

} // namespace

std::string_view icmp_error::meaning() const {
  return v6 ? icmp6_meaning(type, code) : icmp4_meaning(type, code);
}

std::string icmp_error::describe() const {
  std::string text = std::string(v6 ? "ICMPv6" : "ICMP") + " type " + std::to_string(type) + " code " +
                     std::to_string(code);
  if (!meaning().empty()) text.append(" (").append(meaning()).append(")");
  return text;
}

boost::system::error_code enable_icmp_errors(net::ip::tcp::socket& socket) {
  const int on = 1;
  const bool v6 = is_v6(socket);
  const int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const int name = v6 ? IPV6_RECVERR : IP_RECVERR;
  if (::setsockopt(socket.native_handle(), level, name, &on, sizeof on) != 0)
    return {errno, boost::system::system_category()};
  return {};
}

void disable_icmp_errors(net::ip::tcp::socket& socket) {
  const int off = 0;
  const bool v6 = is_v6(socket);
  // Failure leaves the option on, which only makes later errors stricter.
  (void)::setsockopt(socket.native_handle(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR,
                     &off, sizeof off);
}

std::optional<icmp_error> first_icmp_error(net::ip::tcp::socket& socket) {
  std::optional<icmp_error> first;
  // Bounded: the kernel keeps the queue short, and a loop must end even if not.
  for (int i = 0; i < 16; ++i) {
    std::array<char, 256> data{};
    alignas(cmsghdr) std::array<char, 512> control{};
    sockaddr_storage peer{};
    iovec iov{data.data(), data.size()};
    msghdr msg{};
    msg.msg_name = &peer;
    msg.msg_namelen = sizeof peer;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    if (::recvmsg(socket.native_handle(), &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break;

    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      const bool v4_entry = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
      const bool v6_entry = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
      if (!v4_entry && !v6_entry) continue;
      const auto* ee = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
      if (ee->ee_origin != SO_EE_ORIGIN_ICMP && ee->ee_origin != SO_EE_ORIGIN_ICMP6) continue;
      if (first) continue; // keep draining: later entries are symptoms of the first
      icmp_error e;
      e.v6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;
      e.type = ee->ee_type;
      e.code = ee->ee_code;
      e.error = static_cast<int>(ee->ee_errno);
      e.from = offender_address(ee);
      first = e;
    }
  }
  return first;
}

std::string errno_name(const boost::system::error_code& ec) {
  if (ec.category() == boost::system::system_category() || ec.category() == boost::system::generic_category()) {
    if (const char* name = ::strerrorname_np(ec.value())) return name;
  }
  return ec.message();
}

reason classify_connect_failure(const boost::system::error_code& ec, const std::optional<icmp_error>& icmp,
                                bool source_port_given) {
  if (icmp) {
    const reason r = icmp->v6 ? icmp6_reason(icmp->type, icmp->code) : icmp4_reason(icmp->type, icmp->code);
    if (r != reason::none) return r;
  }
  if (ec.category() != boost::system::system_category()) return reason::none;
  switch (ec.value()) {
    case ECONNREFUSED: return reason::tcp_refused;
    // The handshake completed in the kernel and a RST followed before the
    // connect's completion was collected: established, then reset.
    case ECONNRESET:
    case EPIPE: return reason::tcp_reset;
    case ETIMEDOUT: return reason::tcp_timeout; // the kernel gave up its SYN retries first
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENONET: return reason::tcp_host_unreachable;
    case ENETUNREACH: return reason::tcp_no_route; // no ICMP came: this host's routing table said no
    case EACCES:
    case EPERM: return reason::tcp_admin_prohibited; // this host's own firewall or a prohibit route
    case EADDRNOTAVAIL:
    case EADDRINUSE: return source_port_given ? reason::none : reason::tcp_local_ports_exhausted;
    default: return reason::none;
  }
}

nlohmann::json to_json(const icmp_error& e) {
  return {{"family", e.v6 ? "icmpv6" : "icmp"},
          {"type", e.type},
          {"code", e.code},
          {"meaning", e.meaning()},
          {"from", e.from ? nlohmann::json(e.from->to_string()) : nlohmann::json()}};
}

} // namespace edgeprobe
