// The JSON result document (results.md, "The JSON result document").
#pragma once
#include "report/reporter.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace edgeprobe {

// Streams the document: a report of 10,000 checks is written check by check.
void write_json_report(const run_result& run, std::ostream& out, const report_options& options);

// The same document, or one check's part of it, as a value. Keys come in the
// order results.md shows them.
nlohmann::ordered_json to_json(const run_result& run);
nlohmann::ordered_json to_json(const check_result& check);

// "2026-11-28T10:00:00.123Z", the document's started_at.
std::string iso8601_utc(std::chrono::system_clock::time_point t);

} // namespace edgeprobe
