// How a connect went, judged against what the check expects of the connection
// (expect.state, max_connect_ms, min_mss, a zero window). Every connecting probe
// judges its connection with this, so a transport failure carries the tcp
// probe's reason whichever probe met it.
#pragma once
#include "core/result.hpp"
#include "net/connect_settings.hpp"
#include "net/tcp_connect.hpp"

namespace edgeprobe {

void judge_connect(const connect_report& r, const connect_settings& cfg, verdict& v);

} // namespace edgeprobe
