// Why a TCP connect failed, in network terms: errno names, the first ICMP error
// the kernel queued (net/icmp_errors.hpp), and the mapping of both to the tcp.*
// reason codes.
#pragma once
#include "core/reasons.hpp"
#include "net/icmp_errors.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

namespace net = boost::asio;

// The first ICMP error queued on the socket (the first cause; later ones are its
// symptoms), draining the queue. Never blocks.
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


} // namespace edgeprobe
