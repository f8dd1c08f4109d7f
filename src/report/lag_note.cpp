#include "report/lag_note.hpp"

#include "core/clock.hpp"

namespace edgeprobe {

namespace {

constexpr double noticeable_ms = 10;
constexpr double noticeable_share = 0.2;

} // namespace

std::string lag_note(const check_result& c) {
  if (c.lag_ms < noticeable_ms || c.lag_ms < noticeable_share * c.duration_ms) return "";
  const phase* worst = nullptr;
  for (const auto& p : c.phases)
    if (!worst || p.lag_ms > worst->lag_ms) worst = &p;
  std::string note = "edgeprobe was busy: " + ms_text(c.lag_ms) + " of this check was its own queue, not the network";
  if (worst && worst->lag_ms > 0) note += " (" + ms_text(worst->lag_ms) + " of phase " + worst->name + ")";
  return note + "; fewer checks at once (--concurrency) or more threads (--threads) lower it";
}

std::string phase_lag_text(const phase& p) {
  if (p.lag_ms < 0.01) return "";
  if (p.network_ms) return " (network " + ms_text(*p.network_ms) + ", edgeprobe's queue " + ms_text(p.lag_ms) + ")";
  return " (edgeprobe's queue up to " + ms_text(p.lag_ms) + ")";
}

} // namespace edgeprobe
