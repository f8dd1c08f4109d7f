// The report for people at a terminal (results.md, "human").
#pragma once
#include "report/reporter.hpp"

namespace edgeprobe {

void write_human_report(const run_result& run, std::ostream& out, const report_options& options);

} // namespace edgeprobe
