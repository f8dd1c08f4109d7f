#include "probes/modules.hpp"

// The list: one line per probe folder, each of which defines NAME_module() in
// its module.cpp (Catch2's explicit registry: no static self-registration,
// which a static library would drop).
#define EDGEPROBE_MODULES(X) \
  X(dns)                     \
  X(tcp)                     \
  X(udp)                     \
  X(tls)                     \
  X(stun)                    \
  X(turn)                    \
  X(sqlbrowser)              \
  X(rpc_epm)                 \
  X(http)                    \
  X(ews)

namespace edgeprobe {

#define EDGEPROBE_DECLARE_MODULE(name) probe_module name##_module();
EDGEPROBE_MODULES(EDGEPROBE_DECLARE_MODULE)

const std::vector<probe_module>& builtin_modules() {
#define EDGEPROBE_LIST_MODULE(name) name##_module(),
  static const std::vector<probe_module> modules{EDGEPROBE_MODULES(EDGEPROBE_LIST_MODULE)};
  return modules;
}

const registry& builtin_probes() {
  static const registry instance = [] {
    registry r;
    for (const auto& module : builtin_modules()) r.add(module.make_probe());
    return r;
  }();
  return instance;
}

} // namespace edgeprobe
