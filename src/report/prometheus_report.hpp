// The Prometheus text exposition format 0.0.4 (results.md, "prometheus"), for
// node_exporter's textfile collector and `serve`; passes `promtool check metrics`.
#pragma once
#include "report/reporter.hpp"

#include <span>

namespace edgeprobe {

// Families (all gauges; labels suite, check, probe, target on per-check ones):
//   edgeprobe_check_success                 1 pass/warn (the expectation holds),
//                                           0 fail/error; none for a skipped check
//   edgeprobe_check_status{status}          one-hot over pass, warn, fail, error, skip
//   edgeprobe_check_duration_seconds
//   edgeprobe_check_attempts
//   edgeprobe_check_phase_duration_seconds{phase}
//                                           a phase that occurs more than once
//                                           (connect per redirect hop) is summed
//   edgeprobe_check_reason_info{reason}     1 for a check that carries a reason
//   edgeprobe_tls_cert_not_after_seconds{address}
//                                           the leaf's not-after, Unix seconds
//   edgeprobe_run_duration_seconds, edgeprobe_run_checks{status},
//   edgeprobe_run_start_time_seconds, edgeprobe_build_info{version}  (label suite)
void write_prometheus_report(const run_result& run, std::ostream& out, const report_options& options);

// Several runs in one exposition (serve's /metrics): each family once, with the
// samples of every run under it, told apart by their `suite` label.
void write_prometheus_runs(std::span<const run_result* const> runs, std::ostream& out);

} // namespace edgeprobe
