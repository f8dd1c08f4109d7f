// One tcp probe attempt from one source port: connect with diagnostics, judge
// the answer against expect.state, run the exchange, close as configured.
#pragma once
#include "core/probe.hpp"
#include "net/connect_evidence.hpp"
#include "net/tcp_connect.hpp"
#include "probes/tcp/options.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>

namespace edgeprobe {

struct tcp_attempt {
  std::uint16_t source_port = 0; // 0: ephemeral
  verdict outcome;               // details left empty; see `details` and `connection`
  nlohmann::json details = nlohmann::json::object(); // the exchange's evidence
  std::shared_ptr<const connect_evidence> connection; // the connect's, and how it was closed
  reason connect = reason::none; // how the connect itself ended (none: connected or local failure)
  bool connected = false;
  bool local_failure = false;    // this host could not make the attempt (says nothing about the path)
};

// `log_phases`: record connect/banner/hold phases (off in a sweep, where many
// attempts overlap and the sweep records one phase).
net::awaitable<tcp_attempt> run_tcp_attempt(probe_context& ctx, const tcp_config& cfg,
                                            net::ip::tcp::endpoint remote, std::uint16_t source_port,
                                            bool log_phases);

} // namespace edgeprobe
