#include "report/json_report.hpp"

#include "core/version.hpp"
#include "core/json_stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <future>
#include <optional>
#include <span>
#include <sstream>
#include <system_error>
#include <thread>

namespace edgeprobe {

namespace {

// Milliseconds with microsecond precision, as the document promises.
double ms(double value) { return std::round(value * 1000.0) / 1000.0; }

// A member whose empty text is written as null.
void nullable(json_stream& s, std::string_view name, std::string_view text) {
  s.key(name);
  if (text.empty())
    s.null();
  else
    s.value(text);
}

void write_phases(json_stream& s, const std::vector<phase>& phases) {
  s.open_array();
  for (const auto& p : phases) {
    s.element();
    s.open_object();
    s.member("name", p.name);
    s.member("start_ms", ms(p.start_ms));
    s.member("duration_ms", ms(p.duration_ms));
    if (p.network_ms) s.member("network_ms", ms(*p.network_ms));
    s.member("lag_ms", ms(p.lag_ms));
    s.close_object();
  }
  s.close_array();
}

// The verdict's details with its evidence part written in among them, in key
// order: the same object materialize_evidence would make, without making it.
void write_details(json_stream& s, const verdict& v) {
  s.key("details");
  if (!v.part) return s.value(v.details); // sorted already: written as it is, not copied
  static const nlohmann::json::object_t none;
  struct merge {
    json_stream& s;
    const nlohmann::json::object_t& own;
    nlohmann::json::object_t::const_iterator next;
    // Writes the details' own members that sort before `key`; all that are
    // left when there is none.
    void write_until(std::optional<std::string_view> key) {
      for (; next != own.end() && (!key || std::string_view(next->first) < *key); ++next) {
        s.any_key(next->first);
        s.value(next->second);
      }
    }
  };
  const auto& own = v.details.is_object() ? v.details.get_ref<const nlohmann::json::object_t&>() : none;
  merge m{s, own, own.begin()};
  s.open_object();
  // One pointer captured: the std::function holds it without allocating.
  v.part->write(s, [state = &m](std::string_view key) {
    state->write_until(key);
    if (state->next != state->own.end() && state->next->first == key) ++state->next; // replaced, as in add_to
  });
  m.write_until(std::nullopt);
  s.close_object();
}

void write_address(json_stream& s, const address_result& a) {
  s.open_object();
  s.member("address", a.address);
  s.member("port", a.port);
  s.member("status", to_string(a.outcome.state));
  nullable(s, "reason", code(a.outcome.why));
  s.member("message", a.outcome.message);
  s.key("phases");
  write_phases(s, a.phases);
  write_details(s, a.outcome);
  s.close_object();
}

void write_check(json_stream& s, const check_result& c) {
  s.open_object();
  s.member("name", c.name);
  s.member("probe", c.probe);
  s.member("target", c.target);
  s.key("tags");
  s.open_array();
  for (const auto& tag : c.tags) {
    s.element();
    s.value(tag);
  }
  s.close_array();
  s.member("status", to_string(c.outcome.state));
  nullable(s, "reason", code(c.outcome.why));
  s.member("message", c.outcome.message);
  nullable(s, "hint", c.outcome.hint);
  s.member("started_ms", ms(c.started_ms));
  s.member("duration_ms", ms(c.duration_ms));
  s.member("attempts", c.attempts);
  s.member("lag_ms", ms(c.lag_ms));
  s.key("phases");
  write_phases(s, c.phases);
  s.key("addresses");
  s.open_array();
  for (const auto& a : c.addresses) {
    s.element();
    write_address(s, a);
  }
  s.close_array();
  write_details(s, c.outcome);
  s.close_object();
}

// Results are rendered a block per core at a time and written in order: the
// document is byte for byte the one a single stream writes (json_stream's
// pieces), in about half the time on two cores, and the report is the serial
// tail of a run. A block of 256 checks is about half a megabyte, so the blocks
// in flight add little to the peak memory.
constexpr std::size_t block_size = 256;

std::string render_block(std::span<const check_result> checks, bool continues) {
  std::ostringstream text;
  {
    json_stream s(text, 2, continues); // inside the document and its results
    for (const auto& c : checks) {
      s.element();
      write_check(s, c);
    }
  }
  return std::move(text).str();
}

// A block rendered on a thread of its own; here and now when no thread can be
// had (a container's pids limit), so the report is still written.
std::future<std::string> render_apart(std::span<const check_result> checks) {
  try {
    return std::async(std::launch::async, render_block, checks, true);
  } catch (const std::system_error&) {
    std::promise<std::string> rendered;
    rendered.set_value(render_block(checks, true));
    return rendered.get_future();
  }
}

void write_results(json_stream& s, std::span<const check_result> results) {
  const std::size_t lanes = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  const auto block = [&](std::size_t from) { return results.subspan(from, std::min(block_size, results.size() - from)); };
  for (std::size_t at = 0; at < results.size(); at += lanes * block_size) {
    std::vector<std::future<std::string>> helpers;
    for (std::size_t from = at + block_size; from < std::min(results.size(), at + lanes * block_size);
         from += block_size)
      helpers.push_back(render_apart(block(from)));
    s.splice(render_block(block(at), at > 0));
    for (auto& h : helpers) s.splice(h.get());
  }
}

void write_document(json_stream& s, const run_result& run) {
  const auto summary = run.summary();
  s.open_object();
  s.member("edgeprobe", version);
  s.member("suite", run.suite);
  s.member("started_at", iso8601_utc(run.started_at));
  s.member("duration_ms", ms(run.duration_ms));
  s.member("status", to_string(run.overall()));
  s.member("summary", nlohmann::ordered_json{{"total", summary.total},
                                             {"pass", summary.pass},
                                             {"warn", summary.warn},
                                             {"fail", summary.fail},
                                             {"error", summary.error},
                                             {"skip", summary.skip}});
  s.key("results");
  s.open_array();
  write_results(s, run.results);
  s.close_array();
  s.close_object();
  s.flush();
}

} // namespace

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
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

nlohmann::ordered_json to_json(const check_result& check) {
  std::ostringstream text;
  json_stream s(text);
  write_check(s, check);
  s.flush();
  return nlohmann::ordered_json::parse(text.str());
}

nlohmann::ordered_json to_json(const run_result& run) {
  std::ostringstream text;
  json_stream s(text);
  write_document(s, run);
  return nlohmann::ordered_json::parse(text.str());
}

void write_json_report(const run_result& run, std::ostream& out, const report_options&) {
  json_stream s(out);
  write_document(s, run);
  out << '\n';
}

} // namespace edgeprobe
