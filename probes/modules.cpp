#include "probes/modules.hpp"

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

namespace edgeprobe {

const registry& builtin_probes() {
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

} // namespace edgeprobe
