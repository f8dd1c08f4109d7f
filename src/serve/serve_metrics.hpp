// serve's /metrics: the latest run of every scheduled suite (the prometheus
// report's families), then serve's own counters and the process's standard
// metrics (the names Prometheus client libraries use, so existing dashboards work).
#pragma once
#include "serve/serve_state.hpp"

#include <ostream>

namespace edgeprobe {

void write_serve_metrics(const serve_state& state, std::ostream& out);

} // namespace edgeprobe
