// Prometheus text exposition 0.0.4: each family's samples are gathered first,
// then written together under one `# HELP` and one `# TYPE`, as the format
// requires. Every family carries the `suite` label, so the textfile collector
// can merge files from several suites without clashing series.
#include "report/prometheus_report.hpp"

#include "core/version.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace edgeprobe {

namespace {

constexpr std::array all_statuses{status::pass, status::warn, status::fail, status::error, status::skip};

// U+FFFD for each byte that does not start a well-formed UTF-8 sequence:
// Prometheus rejects a scrape with invalid UTF-8 in a label value, and check
// names or targets may come from anywhere.
std::string well_formed_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // the allowed range of the second byte
    if (lead < 0x80) length = 1;
    else if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;  // overlong
      if (lead == 0xED) high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;  // overlong
      if (lead == 0xF4) high = 0x8F; // beyond U+10FFFF
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      valid = k == 1 ? byte >= low && byte <= high : byte >= 0x80 && byte <= 0xBF;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// A label value between double quotes: `\`, `"` and newline escaped (0.0.4).
std::string label_value(std::string_view raw) {
  std::string out;
  for (const char ch : well_formed_utf8(raw)) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '"') out += "\\\"";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
  return out;
}

// Go's ParseFloat reads the shortest round-trip form; non-finite values have
// the spellings the format names.
std::string sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

struct label {
  std::string_view name;
  std::string value;
};
using label_set = std::vector<label>;

std::string rendered(const label_set& labels) {
  std::string out = "{";
  for (const auto& l : labels) {
    if (out.size() > 1) out += ',';
    out += std::string(l.name) + "=\"" + label_value(l.value) + "\"";
  }
  return out + "}";
}

class family {
public:
  family(std::string_view name, std::string_view help) : name_(name), help_(help) {}

  // A label set already present is dropped: promtool (and a scrape) reject
  // duplicate series, and the first sample is the one the report explains.
  void add(const label_set& labels, double value) {
    auto key = rendered(labels);
    if (!seen_.insert(key).second) return;
    lines_.push_back(std::string(name_) + key + " " + sample_value(value));
  }

  // Families without samples are left out rather than announced empty.
  void write(std::ostream& out) const {
    if (lines_.empty()) return;
    out << "# HELP " << name_ << ' ' << help_ << '\n' << "# TYPE " << name_ << " gauge\n";
    for (const auto& line : lines_) out << line << '\n';
  }

private:
  std::string_view name_, help_;
  std::set<std::string> seen_;
  std::vector<std::string> lines_;
};

struct families {
  family check_success{"edgeprobe_check_success",
                       "1 when the check's expectation holds (pass or warn), 0 when it failed or errored."};
  family check_status{"edgeprobe_check_status", "1 for the check's status, 0 for the others."};
  family check_duration{"edgeprobe_check_duration_seconds", "How long the check took, all attempts included."};
  family check_attempts{"edgeprobe_check_attempts", "How many attempts the check made."};
  family check_lag{"edgeprobe_check_lag_seconds",
                   "How late edgeprobe ran after the network had answered: its own queue, summed over the phases."};
  family phase_duration{"edgeprobe_check_phase_duration_seconds",
                        "Time spent in each phase of the check, edgeprobe's own lag excluded; a phase that occurred "
                        "more than once is summed."};
  family reason_info{"edgeprobe_check_reason_info", "1 with the reason code the check carries."};
  family cert_not_after{"edgeprobe_tls_cert_not_after_seconds",
                        "When the leaf certificate the address sent expires, in Unix seconds."};
  family run_duration{"edgeprobe_run_duration_seconds", "How long the whole run took."};
  family run_checks{"edgeprobe_run_checks", "How many checks of the run ended in each status."};
  family run_start{"edgeprobe_run_start_time_seconds", "When the run started, in Unix seconds."};
  family build_info{"edgeprobe_build_info", "1 with the version of edgeprobe that wrote the metrics."};

  void write(std::ostream& out) const {
    for (const family* f : {&check_success, &check_status, &check_duration, &check_attempts, &check_lag, &phase_duration,
                            &reason_info, &cert_not_after, &run_duration, &run_checks, &run_start, &build_info})
      f->write(out);
  }
};

label_set with(label_set labels, std::string_view name, std::string value) {
  labels.push_back({name, std::move(value)});
  return labels;
}

// Check names are unique within a suite (the loader refuses duplicates); a
// hand-made run that repeats one still gets distinct series, " #2" on.
std::vector<std::string> unique_check_names(const run_result& run) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (const auto& c : run.results) {
    std::string name = c.name;
    for (int n = 2; !used.insert(name).second; ++n) name = c.name + " #" + std::to_string(n);
    names.push_back(std::move(name));
  }
  return names;
}

// Phase totals in order of first appearance: a redirect chain has a
// `connect` per hop, and one series per phase name keeps the series set the
// same from run to run. Alerts are about the network, so edgeprobe's own lag
// is left out (it has its own series).
std::vector<std::pair<std::string, double>> phase_totals(const std::vector<phase>& phases) {
  std::vector<std::pair<std::string, double>> totals;
  for (const auto& p : phases) {
    const double ms = std::max(0.0, p.duration_ms - p.lag_ms);
    auto it = std::find_if(totals.begin(), totals.end(), [&](const auto& t) { return t.first == p.name; });
    if (it == totals.end()) totals.emplace_back(p.name, ms);
    else it->second += ms;
  }
  return totals;
}

// "2026-11-22T10:00:00Z" (cert_facts' utc_text) to Unix seconds.
std::optional<double> unix_seconds(const std::string& utc) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char zone = 0;
  if (std::sscanf(utc.c_str(), "%d-%u-%uT%u:%u:%u%c", &y, &mo, &d, &h, &mi, &s, &zone) != 7 || zone != 'Z')
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch();
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(days).count()) + h * 3600.0 +
         mi * 60.0 + s;
}

// The tls probe's evidence: details.tls.chain, as sent, leaf first.
std::optional<double> leaf_not_after(const nlohmann::json& details) {
  if (!details.is_object()) return std::nullopt;
  const auto tls = details.find("tls");
  if (tls == details.end() || !tls->is_object()) return std::nullopt;
  const auto chain = tls->find("chain");
  if (chain == tls->end() || !chain->is_array() || chain->empty() || !chain->front().is_object())
    return std::nullopt;
  const auto not_after = chain->front().find("not_after");
  if (not_after == chain->front().end() || !not_after->is_string()) return std::nullopt;
  return unix_seconds(not_after->get<std::string>());
}

void add_check(const check_result& c, const label_set& id, families& f) {
  const status state = c.outcome.state;
  if (state != status::skip)
    f.check_success.add(id, state == status::pass || state == status::warn ? 1 : 0);
  for (const status s : all_statuses) f.check_status.add(with(id, "status", std::string(to_string(s))), s == state);
  f.check_duration.add(id, c.duration_ms / 1000.0);
  f.check_attempts.add(id, c.attempts);
  f.check_lag.add(id, c.lag_ms / 1000.0);
  for (const auto& [name, ms] : phase_totals(c.phases)) f.phase_duration.add(with(id, "phase", name), ms / 1000.0);
  if (c.outcome.why != reason::none) f.reason_info.add(with(id, "reason", std::string(code(c.outcome.why))), 1);

  // Probes keep evidence per address; a check-level chain gets an empty address.
  if (const auto when = leaf_not_after(c.outcome.details)) f.cert_not_after.add(with(id, "address", ""), *when);
  for (const auto& a : c.addresses)
    if (const auto when = leaf_not_after(a.outcome.details)) f.cert_not_after.add(with(id, "address", a.address), *when);
}

void add_run(const run_result& run, families& f) {
  const label_set suite{{"suite", run.suite}};
  f.run_duration.add(suite, run.duration_ms / 1000.0);
  const auto s = run.summary();
  const std::map<status, int> counts{{status::pass, s.pass}, {status::warn, s.warn}, {status::fail, s.fail},
                                     {status::error, s.error}, {status::skip, s.skip}};
  for (const status st : all_statuses) f.run_checks.add(with(suite, "status", std::string(to_string(st))), counts.at(st));
  const auto since_epoch = run.started_at.time_since_epoch();
  if (since_epoch.count() > 0)
    f.run_start.add(suite, std::chrono::duration<double>(since_epoch).count());
  f.build_info.add(with(suite, "version", std::string(version)), 1);
}

} // namespace

void write_prometheus_runs(std::span<const run_result* const> runs, std::ostream& out) {
  families f;
  for (const run_result* run : runs) {
    const auto names = unique_check_names(*run);
    for (std::size_t i = 0; i < run->results.size(); ++i) {
      const auto& c = run->results[i];
      add_check(c, {{"suite", run->suite}, {"check", names[i]}, {"probe", c.probe}, {"target", c.target}}, f);
    }
    add_run(*run, f);
  }
  f.write(out);
}

void write_prometheus_report(const run_result& run, std::ostream& out, const report_options&) {
  const run_result* one[] = {&run};
  write_prometheus_runs(one, out);
}

} // namespace edgeprobe
