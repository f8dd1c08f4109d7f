// The Nagios/Icinga/Sensu plugin output (results.md, "nagios"), written to the
// Monitoring Plugins development guidelines: one status line with performance
// data after a `|`, then one long-output line per check.
#pragma once
#include "report/reporter.hpp"

namespace edgeprobe {

// The plugin return codes the guidelines define.
enum nagios_state : int { nagios_ok = 0, nagios_warning = 1, nagios_critical = 2, nagios_unknown = 3 };

// The run's plugin state, which is also the process exit code under
// `--format nagios`:
//   CRITICAL  any check failed — the target is known to be broken, whatever
//             else happened, so a check that could not run does not hide it;
//   UNKNOWN   otherwise, any check errored, or nothing was checked at all (no
//             checks, or every check skipped). The guidelines reserve UNKNOWN
//             for "the plugin could not determine the state", which is what
//             `error` means (not the target's fault); it outranks WARNING
//             because the undetermined check might be the critical one;
//   WARNING   otherwise, any check warned;
//   OK        every check passed or was skipped (at least one passed).
int nagios_exit_code(const run_result& run);

void write_nagios_report(const run_result& run, std::ostream& out, const report_options& options);

} // namespace edgeprobe
