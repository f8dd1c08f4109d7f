// The sqlbrowser probe: ask the SQL Server Browser (UDP 1434, [MC-SQLR]) where an
// instance listens, on an unconnected socket so that an answer from another
// address (a clustered instance's node) is seen and named; then connect to the
// instance's TCP port, and optionally ask it for its version with a TDS PRELOGIN.
#pragma once
#include "core/probe.hpp"

#include <memory>

namespace edgeprobe {

std::unique_ptr<probe> make_sqlbrowser_probe();

} // namespace edgeprobe
