// The TAP 13 report for TAP consumers (results.md, "Outputs": tap): one test
// line per check, `# SKIP` for skipped checks, and a YAML diagnostics block
// under every check that did not plainly pass (status, reason, message, hint,
// probe, target, duration_ms, attempts, addresses). A warning is `ok` with its
// YAML block saying so.
#pragma once
#include "report/reporter.hpp"

#include <string>
#include <string_view>

namespace edgeprobe {

void write_tap_report(const run_result& run, std::ostream& out, const report_options& options);

// Text for a test line's description or directive explanation: printable
// characters only, `\` and `#` escaped as `\\` and `\#` (TAP 13: an unescaped
// `#` starts a directive), CR and LF as spaces (a test line is one line).
std::string tap_line_text(std::string_view raw);

} // namespace edgeprobe
