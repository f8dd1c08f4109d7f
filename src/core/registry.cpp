#include "core/registry.hpp"

#include "probes/dns/dns_probe.hpp"
#include "probes/ews/ews_probe.hpp"
#include "probes/http/http_probe.hpp"
#include "probes/rpc_epm/epm_probe.hpp"
#include "probes/sqlbrowser/sqlbrowser_probe.hpp"
#include "probes/stun/stun_probe.hpp"
#include "probes/tcp/tcp_probe.hpp"
#include "probes/tls/tls_probe.hpp"
#include "probes/turn/turn_probe.hpp"
#include "probes/udp/udp_probe.hpp"

#include <stdexcept>
#include <string>

namespace edgeprobe {

const registry& registry::builtin() {
  static const registry instance = [] {
    registry r;
    r.add(make_dns_probe());
    r.add(make_tcp_probe());
    r.add(make_udp_probe());
    r.add(make_tls_probe());
    r.add(make_stun_probe());
    r.add(make_turn_probe());
    r.add(make_sqlbrowser_probe());
    r.add(make_epm_probe());
    r.add(make_http_probe());
    r.add(make_ews_probe());
    return r;
  }();
  return instance;
}

void registry::add(std::unique_ptr<probe> p) {
  if (find(p->name())) throw std::logic_error("probe registered twice: " + std::string(p->name()));
  probes_.push_back(std::move(p));
}

const probe* registry::find(std::string_view name) const {
  for (const auto& p : probes_)
    if (p->name() == name) return p.get();
  return nullptr;
}

std::vector<const probe*> registry::all() const {
  std::vector<const probe*> out;
  for (const auto& p : probes_) out.push_back(p.get());
  return out;
}

std::vector<std::string_view> registry::names() const {
  std::vector<std::string_view> out;
  for (const auto& p : probes_) out.push_back(p->name());
  return out;
}

} // namespace edgeprobe
