// Why a socket operation failed, in network terms: errno names, the ICMP error
// the kernel queued (IP_RECVERR: type, code, the router that sent it), and the
// mapping of both to the tcp.* reason codes.
#pragma once
#include "core/reasons.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

namespace net = boost::asio;

// One ICMP (or ICMPv6) error as the kernel reported it for a socket.
struct icmp_error {
  bool v6 = false;
  int type = 0;
  int code = 0;
  std::optional<net::ip::address> from; // the reporting router (SO_EE_OFFENDER), when known
  int error = 0;                        // the errno the kernel derived from it

  std::string_view meaning() const; // "communication administratively prohibited"
  std::string describe() const;     // "ICMP type 3 code 13 (communication administratively prohibited)"
};

// Asks the kernel to queue ICMP errors for this socket so that
// first_icmp_error() can name the type, code and reporting router. Without it
// a connect only gets an errno, and code 13 (admin prohibited) and code 1 (host
// unreachable) both read as EHOSTUNREACH.
boost::system::error_code enable_icmp_errors(net::ip::tcp::socket& socket);

// Turns the queue off again once connected: with it on, Linux turns even a
// transient ICMP on an established connection into a hard read/write error.
void disable_icmp_errors(net::ip::tcp::socket& socket);

// The first ICMP error queued on the socket (the first cause), draining the
// queue. Never blocks.
std::optional<icmp_error> first_icmp_error(net::ip::tcp::socket& socket);

// "ECONNREFUSED" for system errors; the message text for anything else.
std::string errno_name(const boost::system::error_code& ec);

// The tcp.* reason for a failed connect. The ICMP error, when there is one,
// decides (it tells admin-prohibited from host-unreachable); otherwise the errno
// does, where ENETUNREACH without ICMP means this host's own routing table.
// `source_port_given`: EADDRINUSE/EADDRNOTAVAIL then mean "that port is taken",
// not "no ephemeral port left". reason::none when the errno says nothing
// network-specific (a bug or an unexpected local condition).
reason classify_connect_failure(const boost::system::error_code& ec, const std::optional<icmp_error>& icmp,
                                bool source_port_given);

nlohmann::json to_json(const icmp_error& e);

} // namespace edgeprobe
