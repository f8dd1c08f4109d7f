#include "serve/lag_histogram.hpp"

#include <cstdio>

namespace edgeprobe {

void lag_histogram::observe_run(const run_result& run) {
  for (const auto& c : run.results)
    if (c.attempts > 0) observe(c.lag_ms / 1000.0); // a skipped check never waited
}

void lag_histogram::observe(double seconds) {
  for (std::size_t i = 0; i < bounds.size(); ++i)
    if (seconds <= bounds[i]) {
      ++counts_[i];
      break;
    }
  ++count_;
  sum_ += seconds;
}

void lag_histogram::write(std::ostream& out, const std::string& suite) const {
  std::uint64_t cumulative = 0;
  char le[32];
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += counts_[i];
    std::snprintf(le, sizeof le, "%g", bounds[i]);
    out << "edgeprobe_serve_check_lag_seconds_bucket{suite=\"" << suite << "\",le=\"" << le << "\"} " << cumulative << '\n';
  }
  out << "edgeprobe_serve_check_lag_seconds_bucket{suite=\"" << suite << "\",le=\"+Inf\"} " << count_ << '\n';
  out << "edgeprobe_serve_check_lag_seconds_sum{suite=\"" << suite << "\"} " << sum_ << '\n';
  out << "edgeprobe_serve_check_lag_seconds_count{suite=\"" << suite << "\"} " << count_ << '\n';
}

} // namespace edgeprobe
