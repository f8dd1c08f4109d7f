// PLACEHOLDER until the udp probe lands: registered so the skeleton links.
#include "probes/udp/udp_probe.hpp"

namespace edgeprobe {
namespace {
class placeholder final : public probe {
public:
  std::string_view name() const override { return "udp"; }
  std::string_view summary() const override { return "not implemented yet"; }
  target_rules target() const override { return {}; }
  const probe_options& options() const override { static const probe_options none; return none; }
  std::shared_ptr<const probe_config> configure(const nlohmann::json&, config_errors&) const override {
    return std::make_shared<probe_config>();
  }
  net::awaitable<verdict> run(probe_context&) const override {
    verdict v;
    v.raise(status::error, reason::internal_error, "the udp probe is not implemented yet");
    co_return v;
  }
};
} // namespace
std::unique_ptr<probe> make_udp_probe() { return std::make_unique<placeholder>(); }
} // namespace edgeprobe
