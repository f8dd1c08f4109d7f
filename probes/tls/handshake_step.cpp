#include "probes/tls/handshake_step.hpp"

#include "net/tls_handshake_failure.hpp"
#include "probes/tls/session_facts.hpp"
#include "wire/escape_bytes.hpp"

#include <algorithm>
#include <chrono>

namespace edgeprobe {

namespace {

// TLS 1.3 finishes the client's handshake before the server has seen the
// client's (empty) certificate, so a server that insists on one says so with an
// alert right after. Wait that long — two round trips, at least 250 ms — for it.
clock::time_point settle_deadline(const connect_report& r, clock::time_point deadline) {
  const auto rtt = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(r.connect_ms));
  return std::min(deadline, clock::now() + std::max<clock::duration>(std::chrono::milliseconds(250), 2 * rtt));
}

} // namespace

net::awaitable<tls_step_outcome> handshake_and_judge(probe_context& ctx, const tls_config& cfg, tls_session& session,
                                                     const connect_report& connection, const std::string& served_by,
                                                     const std::string& host, nlohmann::json& details, verdict& v) {
  tls_step_outcome out;
  const std::string sni = cfg.sni.value_or(host);
  session.set_server_name(sni);
  const bool sni_sent = SSL_get_servername(session.native(), TLSEXT_NAMETYPE_host_name) != nullptr;
  details["sni"] = sni_sent ? nlohmann::json(sni) : nlohmann::json();

  handshake_outcome h;
  const auto started = clock::now();
  {
    auto phase = ctx.phases.begin("tls");
    h = co_await session.handshake(ctx.deadline);
  }
  details["handshake_ms"] = to_ms(clock::now() - started);
  details["bytes_received"] = h.bytes_received;
  if (!h.alert_received.empty()) details["alert_received"] = h.alert_received;
  if (!h.alert_sent.empty()) details["alert_sent"] = h.alert_sent;

  auto& facts = out.facts;
  facts.served_by = served_by;
  facts.checked_name = cfg.verify ? (cfg.sni && !cfg.sni->empty() ? *cfg.sni : host) : "";
  facts.now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());

  if (!h.ok()) {
    if (h.how == handshake_outcome::ended::not_tls) details["first_bytes"] = escape_bytes(h.first_bytes, 64);
    // A server's certificates may have come before the failure (TLS 1.2
    // sends them in the clear): report them, they may be why.
    if (!sent_chain(session.native()).empty()) details["tls"] = read_session(session, cfg.trust.get(), facts);
    judge_handshake_failure(h,
                            {served_by, sni_sent ? sni : "", session.client_cert_requested(),
                             !cfg.client.client_cert_file.empty(), cfg.client.min_version, cfg.client.max_version},
                            v);
    co_return out;
  }
  out.handshake_ok = true;
  out.usable = true;

  details["tls"] = read_session(session, cfg.trust.get(), facts);
  if (facts.client_cert_requested && cfg.client.client_cert_file.empty() && facts.version >= TLS1_3_VERSION) {
    char byte;
    const auto after = co_await session.read_some(&byte, 1, settle_deadline(connection, ctx.deadline));
    if (!after.timed_out && (!after.error.empty() || after.closed)) {
      v.raise(status::fail, reason::tls_client_cert_required,
              served_by + " asked for a client certificate and " +
                  (after.error.empty() ? std::string("closed the connection")
                                       : "rejected the connection (" + after.error + ")") +
                  " right after the handshake, when none was sent");
      out.usable = false;
    }
  }

  // Each finding lands in details.problems through the verdict (run/problems.hpp).
  for (auto& f : judge_tls(facts, cfg)) v.raise(f.state, f.why, std::move(f.message));
  co_return out;
}

} // namespace edgeprobe
