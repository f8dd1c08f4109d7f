#include "report/tap_report.hpp"

#include "report/json_report.hpp"
#include "report/junit_report.hpp"

namespace edgeprobe {

namespace {

using json = nlohmann::ordered_json;

// A YAML scalar for a JSON value. A JSON string is a valid YAML double-quoted
// scalar (YAML 1.2 is a superset of JSON) once it holds only printable
// characters: printable_text drops the C0/C1 controls and DEL that YAML would
// need escaped (and that TAP::Parser's YAMLish reader could not decode from
// JSON's \u escapes), so the dump below only ever uses \" \\ \t \n \r. Null is
// YAML's `~`: YAMLish reads `null` as a string.
std::string yaml_scalar(const json& value) {
  if (value.is_null()) return "~";
  if (!value.is_string()) return value.dump();
  return json(printable_text(value.get<std::string>())).dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_yaml_field(std::string_view indent, std::string_view key, const json& value, std::ostream& out) {
  out << indent << key << ": " << yaml_scalar(value) << '\n';
}

// Each address as a block mapping in a block sequence: TAP::Parser's YAMLish
// reader has no flow collections ({...}, [...]) beyond empty ones.
void write_yaml_addresses(const json& addresses, std::ostream& out) {
  if (addresses.empty()) return;
  out << "  addresses:\n";
  for (const auto& a : addresses) {
    std::string_view indent = "    - ";
    for (const auto* key : {"address", "port", "status", "reason", "message"}) {
      write_yaml_field(indent, key, a[key], out);
      indent = "      ";
    }
  }
}

// The diagnostics block, from the check's JSON object so both documents
// agree on every value (and on the rounding of times).
void write_yaml_block(const check_result& c, const json& check, std::ostream& out) {
  const std::string hint = hint_or_standard(c.outcome);
  out << "  ---\n";
  for (const auto* key : {"status", "reason", "message"}) write_yaml_field("  ", key, check[key], out);
  write_yaml_field("  ", "hint", hint.empty() ? json(nullptr) : json(hint), out);
  for (const auto* key : {"probe", "target", "duration_ms", "attempts"}) write_yaml_field("  ", key, check[key], out);
  write_yaml_addresses(check["addresses"], out);
  out << "  ...\n";
}

std::string skip_explanation(const verdict& v) {
  if (v.why == reason::none) return v.message;
  return std::string(code(v.why)) + (v.message.empty() ? "" : ": " + v.message);
}

void write_test_line(std::size_t number, const check_result& c, std::ostream& out) {
  const bool ok = c.outcome.state != status::fail && c.outcome.state != status::error;
  out << (ok ? "ok " : "not ok ") << number << " - " << tap_line_text(c.name);
  if (c.outcome.state == status::skip) out << " # SKIP " << tap_line_text(skip_explanation(c.outcome));
  out << '\n';
}

void write_summary_comment(const run_result& run, std::ostream& out) {
  const auto s = run.summary();
  out << "# edgeprobe " << tap_line_text(run.suite) << ": " << s.total << " checks, " << s.pass << " pass, " << s.warn
      << " warn, " << s.fail << " fail, " << s.error << " error, " << s.skip << " skip\n";
}

} // namespace

std::string tap_line_text(std::string_view raw) {
  std::string out;
  for (const char c : printable_text(raw)) {
    if (c == '\\' || c == '#') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

void write_tap_report(const run_result& run, std::ostream& out, const report_options&) {
  out << "TAP version 13\n1.." << run.results.size() << '\n';
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const auto& c = run.results[i];
    write_test_line(i + 1, c, out);
    // Every check that did not plainly pass, and a pass with a reason (that
    // reason is evidence worth seeing).
    if (c.outcome.state != status::pass || c.outcome.why != reason::none)
      write_yaml_block(c, to_json(c), out);
  }
  write_summary_comment(run, out);
}

} // namespace edgeprobe
