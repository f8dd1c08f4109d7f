#include "report/junit_report.hpp"

#include "core/version.hpp"
#include "report/json_report.hpp"

#include <unistd.h>

#include <climits>
#include <cstdio>

namespace edgeprobe {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD"; // U+FFFD

// One UTF-8 sequence read from the front of a string; `valid` false means the
// byte at the front starts no well-formed sequence (length is then 1).
struct utf8_sequence {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

utf8_sequence read_utf8(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text.front());
  if (lead < 0x80) return {lead, 1, true};
  // The lead byte says how long the sequence is and keeps 7 - length payload bits.
  const std::size_t length = lead >= 0xF8 ? 0 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || text.size() < length) return {};
  constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000}; // by length: shorter forms are overlong
  char32_t code_point = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[i]);
    if ((next & 0xC0) != 0x80) return {};
    code_point = (code_point << 6) | (next & 0x3F);
  }
  // Overlong forms could smuggle a '<' past a byte-level filter; surrogates
  // and values past U+10FFFF are not characters at all.
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < smallest[length] || code_point > 0x10FFFF || surrogate) return {};
  return {code_point, length, true};
}

// XML 1.0's Char production, narrowed by DEL and the C1 controls, which YAML
// does not allow unescaped and which a terminal may act on.
bool printable(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return true;
  if (c >= 0x20 && c < 0x7F) return true;
  if (c >= 0xA0 && c <= 0xFFFD) return c < 0xD800 || c > 0xDFFF;
  return c >= 0x10000 && c <= 0x10FFFF;
}

std::string_view character_reference(char c, xml_context where) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;"; // so "]]>" can never appear in text
    case '"': return "&quot;";
    case '\r': return "&#13;"; // a parser would turn a literal CR into LF
    case '\n': return where == xml_context::attribute ? "&#10;" : "";
    case '\t': return where == xml_context::attribute ? "&#9;" : "";
    default: return "";
  }
}

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escaped(value, xml_context::attribute) + "\"";
}

std::string attribute(std::string_view name, int value) { return attribute(name, std::to_string(value)); }

// Seconds with millisecond precision: what Surefire writes, and all that the
// schema's SUREFIRE_TIME pattern accepts (at most three decimals).
std::string seconds(double milliseconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", milliseconds / 1000.0);
  return text;
}

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

std::string endpoint(const address_result& a) {
  const bool v6 = a.address.find(':') != std::string::npos;
  return (v6 ? "[" + a.address + "]" : a.address) + ":" + std::to_string(a.port);
}

// "tcp.refused: refused by 192.0.2.10:443": the one line a CI server shows in
// its list of failures.
std::string headline(const verdict& v) {
  if (v.why == reason::none) return v.message.empty() ? std::string(to_string(v.state)) : v.message;
  return std::string(code(v.why)) + (v.message.empty() ? "" : ": " + v.message);
}

// The failure's full text: everything an engineer needs without re-running.
std::string explanation(const check_result& c) {
  std::string text = headline(c.outcome) + "\n";
  if (const auto hint = hint_or_standard(c.outcome); !hint.empty()) text += "hint: " + hint + "\n";
  text += "target: " + c.target + " (probe " + c.probe + ", " + std::to_string(c.attempts) + " attempt" +
          (c.attempts == 1 ? "" : "s") + ")\n";
  if (!c.addresses.empty()) text += "addresses:\n";
  for (const auto& a : c.addresses)
    text += "  " + endpoint(a) + " " + std::string(to_string(a.outcome.state)) + " " + headline(a.outcome) + "\n";
  return text;
}

// <failure>/<error>: type is the reason code (the status when there is none),
// so CI servers group results by cause.
void write_problem(std::string_view element, const check_result& c, std::ostream& out) {
  const auto type = c.outcome.why == reason::none ? to_string(c.outcome.state) : code(c.outcome.why);
  out << "      <" << element << attribute("message", headline(c.outcome)) << attribute("type", type) << ">"
      << xml_escaped(explanation(c), xml_context::text) << "</" << element << ">\n";
}

void write_outcome(const check_result& c, std::ostream& out) {
  switch (c.outcome.state) {
    case status::fail: return write_problem("failure", c, out);
    case status::error: return write_problem("error", c, out);
    case status::skip:
      out << "      <skipped" << attribute("message", headline(c.outcome)) << "/>\n";
      return;
    case status::warn:
    case status::pass:
      // JUnit knows only pass, failure, error and skipped. A warning means the
      // expectation holds (results.md) and edgeprobe exits 0 on it, so it is a
      // passing testcase; marking it failed would break builds edgeprobe
      // itself lets through. The warning (or a pass's noteworthy reason) goes
      // to system-out, which CI servers show beside the testcase.
      if (c.outcome.state == status::warn || c.outcome.why != reason::none)
        out << "      <system-out>" << xml_escaped(std::string(to_string(c.outcome.state)) + " " + explanation(c),
                                                   xml_context::text)
            << "</system-out>\n";
      return;
  }
}

void write_testcase(const check_result& c, std::string_view suite, std::ostream& out) {
  out << "    <testcase" << attribute("name", c.name) << attribute("classname", std::string(suite) + "." + c.probe)
      << attribute("time", seconds(c.duration_ms)) << ">\n";
  write_outcome(c, out);
  out << "    </testcase>\n";
}

void write_property(std::string_view name, std::string_view value, std::ostream& out) {
  out << "      <property" << attribute("name", name) << attribute("value", value) << "/>\n";
}

// The schema allows <properties> on a testsuite only (not on a testcase), so
// run-wide facts go here; a check's probe and target are in its classname and
// in its failure text.
void write_properties(const run_result& run, std::ostream& out) {
  out << "    <properties>\n";
  write_property("edgeprobe.version", version, out);
  write_property("edgeprobe.status", to_string(run.overall()), out);
  out << "    </properties>\n";
}

void write_testsuite(const run_result& run, const run_summary& s, std::ostream& out) {
  // The same timestamp the JSON document carries (ISO 8601, UTC).
  const auto started_at = iso8601_utc(run.started_at);
  out << "  <testsuite" << attribute("name", run.suite) << attribute("tests", s.total)
      << attribute("failures", s.fail) << attribute("errors", s.error) << attribute("skipped", s.skip)
      << attribute("time", seconds(run.duration_ms)) << attribute("timestamp", started_at)
      << attribute("hostname", host_name()) << ">\n";
  write_properties(run, out);
  for (const auto& c : run.results) write_testcase(c, run.suite, out);
  out << "  </testsuite>\n";
}

} // namespace

std::string printable_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  while (!raw.empty()) {
    const auto sequence = read_utf8(raw);
    if (!sequence.valid) out += replacement_character;
    else if (printable(sequence.code_point)) out += raw.substr(0, sequence.length);
    raw.remove_prefix(sequence.length);
  }
  return out;
}

std::string xml_escaped(std::string_view raw, xml_context where) {
  const auto text = printable_text(raw);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto reference = character_reference(c, where);
    if (reference.empty()) out += c;
    else out += reference;
  }
  return out;
}

std::string hint_or_standard(const verdict& v) {
  if (!v.hint.empty()) return v.hint;
  // As the runner does: a pass's reason is evidence, with nothing to fix.
  return v.state == status::pass ? std::string() : std::string(hint(v.why));
}

void write_junit_report(const run_result& run, std::ostream& out, const report_options&) {
  const auto s = run.summary();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  // No `skipped` here: the schema CI servers validate against does not allow
  // it on <testsuites> (it does on <testsuite>, below).
  out << "<testsuites" << attribute("name", run.suite) << attribute("tests", s.total)
      << attribute("failures", s.fail) << attribute("errors", s.error) << attribute("time", seconds(run.duration_ms))
      << ">\n";
  write_testsuite(run, s, out);
  out << "</testsuites>\n";
}

} // namespace edgeprobe
