#include "probes/tls/tls_probe.hpp"

#include "net/connect_judge.hpp"
#include "net/tcp_connect.hpp"
#include "net/tls_session.hpp"
#include "probes/tls/handshake_step.hpp"
#include "probes/tls/options.hpp"
#include "probes/tls/starttls.hpp"

#include <algorithm>
#include <chrono>

namespace edgeprobe {

namespace {

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

    auto r = co_await connect_and_judge(ctx, remote, cfg.transport, v, v.details);
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

    tls_session session(*r.socket, cfg.context.get(), tls_role::client);
    const auto step = co_await handshake_and_judge(ctx, cfg, session, r, served_by, ctx.check.target.host, v.details, v);
    if (!step.handshake_ok) {
      close_connection(*r.socket, true);
      co_return v;
    }
    const auto& facts = step.facts;
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
