#include "net/socket_errors.hpp"

#include <cerrno>
#include <cstring>

namespace edgeprobe {

std::optional<icmp_error> first_icmp_error(net::ip::tcp::socket& socket) {
  for (auto& e : drain_icmp_errors(socket))
    if (!e.local) return e;
  return std::nullopt;
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
    switch (icmp->kind) {
      // iptables' REJECT default for TCP: a firewall refusing, as a RST would.
      case icmp_kind::port_unreachable: return reason::tcp_refused;
      case icmp_kind::host_unreachable:
      case icmp_kind::net_unreachable:
      case icmp_kind::admin_prohibited: return icmp_reason(*icmp);
      case icmp_kind::other:
        if (time_exceeded(*icmp)) return reason::tcp_net_unreachable; // a routing loop, or a path too long
        break; // the errno decides
    }
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


} // namespace edgeprobe
