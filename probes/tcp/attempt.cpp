#include "probes/tcp/attempt.hpp"

#include "net/connect_judge.hpp"
#include "net/tcp_connect.hpp"
#include "probes/tcp/exchange.hpp"


namespace edgeprobe {

net::awaitable<tcp_attempt> run_tcp_attempt(probe_context& ctx, const tcp_config& cfg,
                                            net::ip::tcp::endpoint remote, std::uint16_t source_port,
                                            bool log_phases) {
  tcp_attempt a;
  a.source_port = source_port;
  connect_options options{cfg.source_address, source_port, ctx.deadline};
  options.then_close = cfg.state != expected_state::open || !exchanges(cfg);
  connect_report r;
  {
    std::optional<phase_log::scope> phase;
    if (log_phases) phase.emplace(ctx.phases.begin("connect"));
    r = co_await connect_with_diagnostics(ctx.executor, remote, options);
    // The kernel's SYN to SYN-ACK time is the network's; the rest of the phase
    // was edgeprobe's (the message and the waterfall both say so).
    if (phase && r.handshake_ms) phase->end_with_network(*r.handshake_ms);
  }
  a.connect = r.why;
  a.connected = r.connected();
  a.local_failure = !r.connected() && (r.failed_at != connect_report::stage::connect || r.why == reason::none ||
                                       r.why == reason::tcp_local_ports_exhausted);
  judge_connect(r, cfg, a.outcome);
  if (!r.connected()) {
    a.connection = std::make_shared<const connect_evidence>(r, std::nullopt);
    co_return a;
  }

  if (cfg.state == expected_state::open)
    co_await run_exchange(*r.socket, cfg, r.local, r.remote, ctx.deadline, log_phases ? &ctx.phases : nullptr,
                          a.outcome, a.details);
  a.connection = std::make_shared<const connect_evidence>(r, cfg.close == close_mode::rst ? "rst" : "fin");
  close_connection(*r.socket, cfg.close == close_mode::rst);
  co_return a;
}

} // namespace edgeprobe
