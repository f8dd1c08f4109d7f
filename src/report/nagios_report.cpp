// Nagios plugin output: `EDGEPROBE <STATE> - <summary> | <perfdata>`, then one
// `[STATUS] name: reason — message` line per check (the long output).
//
// Nagios splits a plugin's first line at the first `|` and treats the rest as
// performance data, and reads one status line only: so every piece of text we
// did not write ourselves (names, messages, peers' banners) is made one line
// and has its `|` replaced before it goes out.
#include "report/nagios_report.hpp"

#include "wire/ascii.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace edgeprobe {

namespace {

// U+00A6 BROKEN BAR: reads like the `|` it replaces, but Nagios does not cut there.
constexpr std::string_view pipe_stand_in = "\xC2\xA6";
// How many check names the status line lists before "and N more".
constexpr std::size_t named_in_summary = 3;

// `text` as one line without `|`: control characters (newlines, tabs, ESC)
// become a single space each run, so a multi-line message stays readable.
std::string plugin_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool after_break = false;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      if (!after_break) out += ' ';
      after_break = true;
      continue;
    }
    after_break = false;
    if (ch == '|')
      out += pipe_stand_in;
    else
      out += ch;
  }
  return out;
}

std::string_view state_word(int state) {
  switch (state) {
    case nagios_ok: return "OK";
    case nagios_warning: return "WARNING";
    case nagios_critical: return "CRITICAL";
    default: return "UNKNOWN";
  }
}

// "A (tcp.refused), B (tls.cert.expired) and 2 more": the checks in `wanted`.
std::string named_checks(const run_result& run, status wanted) {
  std::string out;
  std::size_t listed = 0, matching = 0;
  for (const auto& c : run.results) {
    if (c.outcome.state != wanted) continue;
    ++matching;
    if (listed == named_in_summary) continue;
    if (listed++ > 0) out += ", ";
    out += plugin_text(c.name);
    if (c.outcome.why != reason::none) out += " (" + std::string(code(c.outcome.why)) + ")";
  }
  if (matching > listed) out += " and " + std::to_string(matching - listed) + " more";
  return out;
}

std::string checks_word(int n) { return n == 1 ? " check" : " checks"; }

// The counts the headline did not already give, e.g. "; also 1 error, 2 warn".
std::string other_counts(const run_summary& s, status headline) {
  std::string out;
  const auto add = [&](status which, int n) {
    if (which == headline || n == 0) return;
    out += (out.empty() ? "; also " : ", ") + std::to_string(n) + " " + std::string(to_string(which));
  };
  add(status::fail, s.fail);
  add(status::error, s.error);
  add(status::warn, s.warn);
  add(status::skip, s.skip);
  return out;
}

std::string summary_text(const run_result& run, int state) {
  const auto s = run.summary();
  const std::string of_total = " of " + std::to_string(s.total) + checks_word(s.total);
  switch (state) {
    case nagios_critical:
      return std::to_string(s.fail) + of_total + " failed: " + named_checks(run, status::fail) +
             other_counts(s, status::fail);
    case nagios_warning:
      return std::to_string(s.warn) + of_total + " warn: " + named_checks(run, status::warn) +
             other_counts(s, status::warn);
    case nagios_ok:
      return std::to_string(s.pass) + of_total + " passed" + other_counts(s, status::pass);
    default:
      if (s.total == 0) return "no checks ran";
      if (s.error == 0) return "all " + std::to_string(s.total) + checks_word(s.total) + " skipped";
      return std::to_string(s.error) + of_total + " could not be carried out: " + named_checks(run, status::error) +
             other_counts(s, status::error);
  }
}

// A perfdata label: quoted, `'` doubled, one line, no `|`. Quoting makes
// spaces and `=` safe. Names are unique within a suite; should two still meet
// after the clean-up, the later one gets a " #2" so graphs do not merge them.
std::string perfdata_label(const std::string& name, std::set<std::string>& used) {
  std::string base = name.empty() ? "(unnamed)" : plugin_text(name);
  std::string label = base;
  for (int n = 2; !used.insert(label).second; ++n) label = base + " #" + std::to_string(n);
  std::string quoted = "'";
  for (const char ch : label) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  return quoted + "'";
}

// Milliseconds in the C locale whatever the process's locale (the guidelines'
// value class is [-0-9.]), never negative or NaN.
std::string millis_value(double ms) {
  if (!std::isfinite(ms) || ms < 0) ms = 0;
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, ms, std::chars_format::fixed, 3).ptr;
  return std::string(text, end);
}

// One duration per check that ran, minimum 0, no thresholds (edgeprobe judges
// the checks itself; the state already carries the verdict).
std::string perfdata(const run_result& run) {
  std::string out;
  std::set<std::string> used;
  for (const auto& c : run.results) {
    if (c.outcome.state == status::skip) continue; // never ran: no duration to graph
    if (!out.empty()) out += ' ';
    out += perfdata_label(c.name, used) + "=" + millis_value(c.duration_ms) + "ms;;;0";
  }
  return out;
}

// "[FAIL] name: tcp.refused — refused by 192.0.2.10:443"
std::string long_output_line(const check_result& c) {
  std::string line = "[" + upper_ascii(to_string(c.outcome.state)) + "] " + plugin_text(c.name);
  const std::string_view why = code(c.outcome.why);
  const std::string message = plugin_text(c.outcome.message);
  if (!why.empty() || !message.empty()) line += ": ";
  line += why;
  if (!why.empty() && !message.empty()) line += " \xE2\x80\x94 ";
  return line + message;
}

bool worth_a_line(const check_result& c, const report_options& options) {
  return !options.quiet || c.outcome.state != status::pass || c.outcome.why != reason::none;
}

} // namespace

int nagios_exit_code(const run_result& run) {
  const auto s = run.summary();
  if (s.fail > 0) return nagios_critical;
  if (s.error > 0 || s.total == s.skip) return nagios_unknown; // also: no checks at all
  if (s.warn > 0) return nagios_warning;
  return nagios_ok;
}

void write_nagios_report(const run_result& run, std::ostream& out, const report_options& options) {
  const int state = nagios_exit_code(run);
  out << "EDGEPROBE " << state_word(state) << " - " << summary_text(run, state);
  const std::string performance = perfdata(run);
  if (!performance.empty()) out << " | " << performance;
  out << '\n';

  for (const auto& c : run.results) {
    if (!worth_a_line(c, options)) continue;
    out << long_output_line(c) << '\n';
    if (options.verbose && c.outcome.state != status::pass && !c.outcome.hint.empty())
      out << "    hint: " << plugin_text(c.outcome.hint) << '\n';
  }
}

} // namespace edgeprobe
