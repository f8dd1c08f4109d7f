#include "report/json_report.hpp"

#include "core/version.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace edgeprobe {

namespace {

// Milliseconds with microsecond precision, as the document promises.
double ms(double value) { return std::round(value * 1000.0) / 1000.0; }

nlohmann::json nullable(std::string_view text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(text));
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  const auto since_epoch = t.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

nlohmann::json phases_json(const std::vector<phase>& phases) {
  auto out = nlohmann::json::array();
  for (const auto& p : phases)
    out.push_back({{"name", p.name}, {"start_ms", ms(p.start_ms)}, {"duration_ms", ms(p.duration_ms)}});
  return out;
}

nlohmann::json address_json(const address_result& a) {
  return {{"address", a.address},
          {"port", a.port},
          {"status", to_string(a.outcome.state)},
          {"reason", nullable(code(a.outcome.why))},
          {"message", a.outcome.message},
          {"phases", phases_json(a.phases)},
          {"details", a.outcome.details}};
}

nlohmann::json check_json(const check_result& c) {
  auto addresses = nlohmann::json::array();
  for (const auto& a : c.addresses) addresses.push_back(address_json(a));
  return {{"name", c.name},
          {"probe", c.probe},
          {"target", c.target},
          {"tags", c.tags},
          {"status", to_string(c.outcome.state)},
          {"reason", nullable(code(c.outcome.why))},
          {"message", c.outcome.message},
          {"hint", nullable(c.outcome.hint)},
          {"started_ms", ms(c.started_ms)},
          {"duration_ms", ms(c.duration_ms)},
          {"attempts", c.attempts},
          {"phases", phases_json(c.phases)},
          {"addresses", std::move(addresses)},
          {"details", c.outcome.details}};
}

} // namespace

nlohmann::json to_json(const run_result& run) {
  const auto s = run.summary();
  auto results = nlohmann::json::array();
  for (const auto& c : run.results) results.push_back(check_json(c));
  return {{"edgeprobe", version},
          {"suite", run.suite},
          {"started_at", iso8601(run.started_at)},
          {"duration_ms", ms(run.duration_ms)},
          {"status", to_string(run.overall())},
          {"summary",
           {{"total", s.total}, {"pass", s.pass}, {"warn", s.warn}, {"fail", s.fail}, {"error", s.error}, {"skip", s.skip}}},
          {"results", std::move(results)}};
}

void write_json_report(const run_result& run, std::ostream& out, const report_options&) {
  // Replace invalid UTF-8 (a peer's banner may hold anything) instead of throwing.
  out << to_json(run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

} // namespace edgeprobe
