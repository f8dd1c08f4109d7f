// How a connect went, judged against what the check expects of the connection
// (expect.state, max_connect_ms, min_mss, a zero window). Every connecting probe
// judges its connection with this, so a transport failure carries the tcp
// probe's reason whichever probe met it.
#pragma once
#include "core/probe.hpp"
#include "core/result.hpp"
#include "net/connect_settings.hpp"
#include "net/tcp_connect.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

namespace edgeprobe {

void judge_connect(const connect_report& r, const connect_settings& cfg, verdict& v);

// What every connecting probe does first: connects to `remote` from
// cfg.source_address within the check's deadline, timed as the "connect"
// phase, puts the connection's evidence at details["connection"] and judges
// it on `v`. The report holds the socket when it connected.
net::awaitable<connect_report> connect_and_judge(probe_context& ctx, const net::ip::tcp::endpoint& remote,
                                                 const connect_settings& cfg, verdict& v, nlohmann::json& details);

} // namespace edgeprobe
