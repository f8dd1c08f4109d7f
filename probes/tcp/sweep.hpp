// The source-port sweep: one attempt per source port, all inside the check's
// deadline, judged together — some ports connecting while others do not is
// the signature of a source-port filter (an IPsec policy, a host firewall).
#pragma once
#include "core/probe.hpp"
#include "probes/tcp/options.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace edgeprobe {

net::awaitable<verdict> run_sweep(probe_context& ctx, const tcp_config& cfg, net::ip::tcp::endpoint remote);

} // namespace edgeprobe
