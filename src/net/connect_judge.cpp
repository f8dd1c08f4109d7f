#include "net/connect_judge.hpp"

#include <string>

namespace edgeprobe {

namespace {

// Network answers that say "not open": a RST (closed), or silence / an ICMP
// error (filtered). An ICMP port unreachable is a firewall rejecting, so it
// counts as filtered, not closed.
bool answered_closed(const connect_report& r) { return r.why == reason::tcp_refused && !r.icmp; }
bool answered_filtered(const connect_report& r) {
  switch (r.why) {
    case reason::tcp_timeout:
    case reason::tcp_host_unreachable:
    case reason::tcp_net_unreachable:
    case reason::tcp_admin_prohibited: return true;
    case reason::tcp_refused: return r.icmp.has_value();
    default: return false;
  }
}

// A failure that says nothing about the target: this host could not make the attempt.
void judge_local_failure(const connect_report& r, const connect_settings& cfg, verdict& v) {
  if (r.why == reason::tcp_local_ports_exhausted) {
    v.raise(status::error, r.why, r.message);
  } else if (r.failed_at == connect_report::stage::bind || cfg.source_port_chosen) {
    std::string msg = r.message;
    if (r.failed_at == connect_report::stage::connect)
      msg += ": that source port is still in use towards this target (a connection or TIME_WAIT left from an "
             "earlier run; `close: rst` avoids it)";
    v.raise(status::error, reason::config_invalid, msg);
  } else {
    v.raise(status::error, reason::internal_error, r.message);
  }
}

} // namespace

void judge_connect(const connect_report& r, const connect_settings& cfg, verdict& v) {
  const std::string target = endpoint_text(r.remote);
  if (r.connected()) {
    if (cfg.state != expected_state::open) {
      v.raise(status::fail, reason::tcp_unexpectedly_open,
              target + " accepted the connection (SYN-ACK after " + ms_text(r.connect_ms) +
                  ") but the check expects it " + std::string(to_string(cfg.state)));
      return;
    }
    v.message = "connected to " + target + " in " + ms_text(r.network_ms());
    // The waterfall draws the whole phase: say what the rest of it was.
    if (r.handshake_ms && r.connect_ms - *r.handshake_ms >= 1.0)
      v.message += " (the kernel's handshake time; edgeprobe was busy for " + ms_text(r.connect_ms - *r.handshake_ms) +
                   " more before it saw the connection)";
    if (cfg.max_connect_ms && r.network_ms() > *cfg.max_connect_ms)
      v.raise(status::fail, reason::tcp_slow_connect,
              "connecting to " + target + " took " + ms_text(r.network_ms()) + ", more than max_connect_ms " +
                  ms_text(*cfg.max_connect_ms) + " (" + std::to_string(r.syns_sent) +
                  (r.syns_sent == 1 ? " SYN" : " SYNs") + " sent)");
    if (r.info && cfg.min_mss && r.info->path_mss() < *cfg.min_mss)
      v.raise(status::fail, reason::tcp_small_mss,
              "the path MSS to " + target + " is " + std::to_string(r.info->path_mss()) + " bytes (" +
                  std::to_string(r.info->snd_mss) + " of payload per segment), below min_mss " +
                  std::to_string(*cfg.min_mss) + ": something on the path clamps the MSS");
    if (r.info && r.info->peer_window == 0u)
      v.raise(status::fail, reason::tcp_zero_window,
              target + " accepted the connection but advertises a zero receive window");
    return;
  }

  if (r.why == reason::none || r.why == reason::tcp_local_ports_exhausted ||
      r.failed_at != connect_report::stage::connect) {
    judge_local_failure(r, cfg, v);
    return;
  }
  if (r.why == reason::tcp_reset) { // the handshake did complete: the port is open
    if (cfg.state == expected_state::open) v.raise(status::fail, r.why, r.message);
    else
      v.raise(status::fail, reason::tcp_unexpectedly_open,
              r.message + ", so it is open although the check expects it " + std::string(to_string(cfg.state)));
    return;
  }
  if (r.why == reason::tcp_no_route) { // says nothing about the port, whatever is expected
    v.raise(status::fail, r.why, r.message);
    return;
  }
  const bool closed = answered_closed(r);
  const bool filtered = answered_filtered(r);
  switch (cfg.state) {
    case expected_state::open: v.raise(status::fail, r.why, r.message); break;
    case expected_state::closed:
      if (closed) v.raise(status::pass, r.why, "closed as expected: " + r.message);
      else v.raise(status::fail, r.why, "expected a RST (closed), but " + r.message);
      break;
    case expected_state::filtered:
      if (filtered) v.raise(status::pass, r.why, "filtered as expected: " + r.message);
      else
        v.raise(status::fail, reason::tcp_unexpectedly_closed,
                target + " answered the SYN with a RST after " + ms_text(r.connect_ms) +
                    " although the check expects it filtered (no answer or ICMP)");
      break;
    case expected_state::not_open:
      if (closed || filtered) v.raise(status::pass, r.why, "not open, as expected: " + r.message);
      else v.raise(status::fail, r.why, r.message);
      break;
  }
}

net::awaitable<connect_report> connect_and_judge(probe_context& ctx, const net::ip::tcp::endpoint& remote,
                                                 const connect_settings& cfg, verdict& v, nlohmann::json& details) {
  connect_report r;
  {
    auto phase = ctx.phases.begin("connect");
    r = co_await connect_with_diagnostics(ctx.executor, remote, {cfg.source_address, 0, ctx.deadline});
    if (r.handshake_ms) phase.end_with_network(*r.handshake_ms);
  }
  details["connection"] = r.details();
  judge_connect(r, cfg, v);
  co_return r;
}

} // namespace edgeprobe
