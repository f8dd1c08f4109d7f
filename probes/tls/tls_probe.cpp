#include "probes/tls/tls_probe.hpp"

#include "net/tcp_connect.hpp"
#include "net/tls_session.hpp"
#include "probes/tcp/attempt.hpp"
#include "probes/tcp/exchange.hpp"
#include "probes/tls/handshake_failure.hpp"
#include "probes/tls/options.hpp"
#include "probes/tls/session_facts.hpp"
#include "probes/tls/starttls.hpp"

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

class tls_probe final : public probe {
public:
  std::string_view name() const override { return "tls"; }
  std::string_view summary() const override {
    return "TLS handshake (optionally after SMTP STARTTLS) with the whole chain, SANs, expiry and client-CA list "
           "reported, and the reason behind every TLS failure";
  }
  target_rules target() const override { return {target_rules::form::host_port, 443}; }
  const probe_options& options() const override { return tls_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_tls_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<tls_config>();
    verdict v;
    if (!ctx.address) {
      v.raise(status::error, reason::internal_error, "the tls probe was run without an address");
      co_return v;
    }
    const net::ip::tcp::endpoint remote(*ctx.address, ctx.port);
    const std::string served_by = endpoint_text(remote);

    connect_report r;
    {
      auto phase = ctx.phases.begin("connect");
      r = co_await connect_with_diagnostics(ctx.executor, remote,
                                            {cfg.transport.source_address, 0, ctx.deadline});
    }
    v.details["connection"] = r.details();
    judge_connect(r, cfg.transport, v);
    if (!r.connected()) co_return v;

    if (cfg.starttls == starttls_protocol::smtp) {
      auto phase = ctx.phases.begin("starttls");
      auto s = co_await smtp_starttls(*r.socket, r.local, ctx.deadline);
      v.details["starttls"] = std::move(s.transcript);
      if (!s.ok) {
        v.raise(s.state, s.why, served_by + ": " + s.message);
        close_connection(*r.socket, false);
        co_return v;
      }
    }

    const std::string sni = cfg.sni.value_or(ctx.check.target.host);
    tls_session session(*r.socket, cfg.context.get(), tls_role::client);
    session.set_server_name(sni);
    const bool sni_sent = SSL_get_servername(session.native(), TLSEXT_NAMETYPE_host_name) != nullptr;
    v.details["sni"] = sni_sent ? nlohmann::json(sni) : nlohmann::json();

    handshake_outcome h;
    const auto started = clock::now();
    {
      auto phase = ctx.phases.begin("tls");
      h = co_await session.handshake(ctx.deadline);
    }
    v.details["handshake_ms"] = to_ms(clock::now() - started);
    v.details["bytes_received"] = h.bytes_received;
    if (!h.alert_received.empty()) v.details["alert_received"] = h.alert_received;
    if (!h.alert_sent.empty()) v.details["alert_sent"] = h.alert_sent;

    tls_facts facts;
    facts.served_by = served_by;
    facts.checked_name = cfg.verify ? (cfg.sni && !cfg.sni->empty() ? *cfg.sni : ctx.check.target.host) : "";
    facts.now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());

    if (!h.ok()) {
      if (h.how == handshake_outcome::ended::not_tls) v.details["first_bytes"] = escape_bytes(h.first_bytes, 64);
      // A server's certificates may have come before the failure (TLS 1.2
      // sends them in the clear): report them, they may be why.
      if (!sent_chain(session.native()).empty()) v.details["tls"] = read_session(session, cfg.trust.get(), facts);
      judge_handshake_failure(h,
                              {served_by, sni_sent ? sni : "", session.client_cert_requested(),
                               !cfg.client.client_cert_file.empty(), cfg.client.min_version, cfg.client.max_version},
                              v);
      close_connection(*r.socket, true);
      co_return v;
    }

    v.details["tls"] = read_session(session, cfg.trust.get(), facts);
    if (facts.client_cert_requested && cfg.client.client_cert_file.empty() && facts.version >= TLS1_3_VERSION) {
      char byte;
      const auto after = co_await session.read_some(&byte, 1, settle_deadline(r, ctx.deadline));
      if (!after.timed_out && (!after.error.empty() || after.closed)) {
        v.raise(status::fail, reason::tls_client_cert_required,
                served_by + " asked for a client certificate and " +
                    (after.error.empty() ? std::string("closed the connection")
                                         : "rejected the connection (" + after.error + ")") +
                    " right after the handshake, when none was sent");
      }
    }

    nlohmann::json problems = nlohmann::json::array();
    for (auto& f : judge_tls(facts, cfg)) {
      problems.push_back({{"reason", code(f.why)}, {"status", to_string(f.state)}, {"message", f.message}});
      v.raise(f.state, f.why, std::move(f.message));
    }
    v.details["problems"] = problems;
    if (v.passed()) {
      v.message = "TLS " + v.details["tls"].value("version", std::string{}) + " with " + served_by +
                  (facts.chain.empty() ? "" : ", certificate " + facts.chain.front().subject + ", " +
                                                  std::to_string(days_left(facts.chain.front(), facts.now)) +
                                                  " days left");
    }
    co_await session.shutdown(std::min(ctx.deadline, clock::now() + std::chrono::milliseconds(100)));
    close_connection(*r.socket, false);
    co_return v;
  }
};

} // namespace

std::unique_ptr<probe> make_tls_probe() { return std::make_unique<tls_probe>(); }

} // namespace edgeprobe
