// What the tcp probe does on an established connection: read a responder's
// greeting (NAT detection), send the bytes asked for, read until the banner
// matches, hold the connection open — and notice resets and zero windows.
#pragma once
#include "core/clock.hpp"
#include "core/phase_log.hpp"
#include "core/result.hpp"
#include "probes/tcp/options.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe {

// Whether `cfg` asks for anything after the handshake (a greeting, send, banner or hold).
bool exchanges(const tcp_config& cfg);

// Runs the exchange `cfg` asks for on `socket`, raising findings on `v` and
// filling `details`. `local` is the address/port this host used, `remote` the
// one it connected to.
net::awaitable<void> run_exchange(net::ip::tcp::socket& socket, const tcp_config& cfg,
                                  const net::ip::tcp::endpoint& local, const net::ip::tcp::endpoint& remote,
                                  clock::time_point deadline, phase_log* phases, verdict& v,
                                  nlohmann::json& details);


} // namespace edgeprobe
