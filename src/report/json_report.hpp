// The JSON result document (results.md, "The JSON result document").
#pragma once
#include "report/reporter.hpp"

#include <nlohmann/json.hpp>

namespace edgeprobe {

nlohmann::json to_json(const run_result& run);
void write_json_report(const run_result& run, std::ostream& out, const report_options& options);

} // namespace edgeprobe
