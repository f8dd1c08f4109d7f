#include "probes/tcp/tcp_probe.hpp"

#include "probes/tcp/attempt.hpp"
#include "probes/tcp/options.hpp"
#include "probes/tcp/sweep.hpp"

namespace edgeprobe {

namespace {

class tcp_probe final : public probe {
public:
  std::string_view name() const override { return "tcp"; }
  std::string_view summary() const override {
    return "TCP connect that tells refused from timeout from ICMP-rejected, with TCP_INFO, banners, "
           "source-port sweeps and NAT detection";
  }
  target_rules target() const override { return {target_rules::form::host_port, 0}; }
  const probe_options& options() const override { return tcp_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_tcp_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<tcp_config>();
    if (!ctx.address) {
      verdict v;
      v.raise(status::error, reason::internal_error, "the tcp probe was run without an address");
      co_return v;
    }
    const net::ip::tcp::endpoint remote(*ctx.address, ctx.port);
    if (cfg.sweep) co_return co_await run_sweep(ctx, cfg, remote);

    auto a = co_await run_tcp_attempt(ctx, cfg, remote, cfg.source_ports.empty() ? 0 : cfg.source_ports.front(),
                                      true);
    verdict v = std::move(a.outcome);
    v.details = std::move(a.details);
    v.part = std::move(a.connection);
    co_return v;
  }
};

} // namespace

std::unique_ptr<probe> make_tcp_probe() { return std::make_unique<tcp_probe>(); }

} // namespace edgeprobe
