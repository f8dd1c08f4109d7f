// ICMP errors for TCP and UDP sockets, read from the kernel's per-socket error
// queue (IP_RECVERR / IPV6_RECVERR, MSG_ERRQUEUE): type, code, the router that
// sent it, and what it means for the path. The only file with these Linux calls:
// a port to another OS replaces icmp_errors.cpp and nothing else.
#pragma once
#include "core/clock.hpp"
#include "core/reasons.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

// What an ICMP error means for the path, the same for ICMPv4 and ICMPv6.
enum class icmp_kind {
  port_unreachable, // the host is up, nothing listens (or a firewall rejects with this type)
  host_unreachable, // host down, no ARP/ND answer, or a "reject with host-unreachable"
  net_unreachable,  // a router has no route
  admin_prohibited, // a filtering router or firewall said no
  other,            // time exceeded, fragmentation needed, protocol unreachable, ...
};

struct icmp_error {
  bool v6 = false;        // ICMPv6: type/code numbering differs from ICMPv4
  bool local = false;     // raised by this host's stack, not carried by an ICMP message
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  icmp_kind kind = icmp_kind::other;
  int error_number = 0;   // the errno the kernel maps it to (ECONNREFUSED, EHOSTUNREACH, ...)
  std::optional<net::ip::address> from;         // who sent the ICMP message (a router, or the target)
  // The original destination of the packet it refers to (a udp::endpoint holds
  // the address and port whatever the transport).
  std::optional<net::ip::udp::endpoint> about;
  clock::time_point received;                   // when it was read from the queue
};

// Pure classification of (type, code).
icmp_kind classify_icmp(bool v6, std::uint8_t type, std::uint8_t code);

// "port unreachable", "communication administratively prohibited".
std::string meaning(const icmp_error& e);
// "port unreachable (ICMP type 3 code 3)"; for local errors the errno text.
std::string describe(const icmp_error& e);
// Evidence: family, type, code, meaning, description, from, about.
nlohmann::json to_json(const icmp_error& e);

// The reason code for an ICMP error. Port unreachable gives udp.port_unreachable;
// the stun and sqlbrowser probes name that one themselves (turn.port_unreachable,
// ...). The others mean the same whatever the transport, so they are the codes
// tcp uses too (tcp.host_unreachable, tcp.net_unreachable, tcp.admin_prohibited).
reason icmp_reason(const icmp_error& e);

// Time exceeded in transit (a routing loop, or a path longer than the TTL).
bool time_exceeded(const icmp_error& e);

// Asks the kernel to queue ICMP errors on this (open, bound or connected)
// socket. Without it an unconnected UDP socket never learns of them, and a TCP
// connect only gets an errno: code 13 (admin prohibited) and code 1 (host
// unreachable) both read as EHOSTUNREACH. `v6`: the socket's family, which the
// caller knows (asking the kernel would cost a system call per check).
boost::system::error_code enable_icmp_errors(net::ip::udp::socket& socket, bool v6);
boost::system::error_code enable_icmp_errors(net::ip::tcp::socket& socket, bool v6);

// Turns the queue off again once a TCP connection is up: with it on, Linux turns
// even a transient ICMP on an established connection into a hard error.
void disable_icmp_errors(net::ip::tcp::socket& socket, bool v6);

// Decodes one message read from the error queue: `control` is its ancillary data
// (IP_RECVERR / IPV6_RECVERR records), `name` its msg_name (the destination of
// the packet the error is about). Pure and bounds-checked: record lengths are
// checked against the bytes given. `received` is left for the caller to set.
std::vector<icmp_error> decode_error_queue(std::span<const std::uint8_t> control, std::span<const std::uint8_t> name);

// Reads every error queued on the socket, without blocking.
std::vector<icmp_error> drain_icmp_errors(net::ip::udp::socket& socket);
std::vector<icmp_error> drain_icmp_errors(net::ip::tcp::socket& socket);

} // namespace edgeprobe
