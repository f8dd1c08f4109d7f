#include "report/human_report.hpp"

#include "report/certificate_text.hpp"
#include "report/evidence_text.hpp"
#include "report/lag_note.hpp"
#include "report/problems_text.hpp"
#include "wire/ascii.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <string>

namespace edgeprobe {

namespace {

constexpr std::size_t max_column = 40;

std::string_view colour_of(status s) {
  switch (s) {
    case status::pass: return "\033[32m";
    case status::warn: return "\033[33m";
    case status::fail: return "\033[31m";
    case status::error: return "\033[35m";
    case status::skip: return "\033[2m";
  }
  return "";
}

std::string label(status s, bool colour) {
  std::string text = upper_ascii(to_string(s));
  text.resize(5, ' ');
  return colour ? std::string(colour_of(s)) + text + "\033[0m" : text;
}

std::string fit(const std::string& text, std::size_t width) {
  if (text.size() > width) return text.substr(0, width - 1) + "~";
  return text + std::string(width - text.size(), ' ');
}

std::string millis(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%9.1f ms", ms);
  return text;
}

std::string endpoint(const address_result& a) {
  const bool v6 = a.address.find(':') != std::string::npos;
  return (v6 ? "[" + a.address + "]" : a.address) + ":" + std::to_string(a.port);
}

// The evidence without the keys already written in a form of their own.
nlohmann::json without(const nlohmann::json& details, std::initializer_list<const char*> keys) {
  auto rest = details;
  if (rest.is_object())
    for (const auto* key : keys) rest.erase(key);
  return rest;
}

// A certificate chain first, as engineers read it; then the rest of the evidence.
// `problems` is left out when the check lists them (with this address named).
void write_address_evidence(const nlohmann::json& details, bool check_lists_problems, std::ostream& out) {
  auto rest = check_lists_problems ? without(details, {"problems"}) : details;
  const auto tls = rest.find("tls");
  if (tls != rest.end() && tls->is_object() && tls->contains("chain")) {
    write_certificates((*tls)["chain"], 8, out);
    (*tls).erase("chain");
  }
  if (!check_lists_problems && rest.contains("problems")) {
    write_problems_text(rest["problems"], 8, out);
    rest.erase("problems");
  }
  write_evidence(rest, 8, out);
}

void write_check(const check_result& c, std::size_t name_width, std::size_t target_width, std::ostream& out,
                 const report_options& options) {
  out << label(c.outcome.state, options.color) << " " << fit(c.name, name_width) << "  " << fit(c.target, target_width)
      << " " << millis(c.duration_ms);
  if (c.outcome.why != reason::none) out << "  " << code(c.outcome.why);
  if (c.attempts > 1) out << "  (" << c.attempts << " attempts)";
  out << '\n';

  const bool explain = c.outcome.state != status::pass || c.outcome.why != reason::none;
  if (explain && !c.outcome.message.empty()) out << "      " << c.outcome.message << '\n';
  if (explain && c.outcome.state != status::skip && !c.outcome.hint.empty())
    out << "      hint: " << c.outcome.hint << '\n';
  if (const auto busy = lag_note(c); !busy.empty()) out << "      " << busy << '\n';
  if (!options.verbose) return;

  for (const auto& p : c.phases) {
    char line[96];
    std::snprintf(line, sizeof line, "      phase %-13s %8.1f ms", (p.name + ":").c_str(), p.duration_ms);
    out << line << phase_lag_text(p) << '\n';
  }
  // Every finding, the check's reason among them: what a later failure would
  // otherwise hide (details.problems).
  const bool lists_problems = c.outcome.details.is_object() && c.outcome.details.contains("problems");
  if (lists_problems) write_problems_text(c.outcome.details.at("problems"), 6, out);
  write_evidence(without(c.outcome.details, {"problems"}), 6, out);
  for (const auto& a : c.addresses) {
    out << "      " << endpoint(a) << "  " << to_string(a.outcome.state);
    if (a.outcome.why != reason::none) out << "  " << code(a.outcome.why);
    out << '\n';
    if (!a.outcome.message.empty()) out << "        " << a.outcome.message << '\n';
    write_address_evidence(a.outcome.details, lists_problems, out);
  }
}

} // namespace

void write_human_report(const run_result& run, std::ostream& out, const report_options& options) {
  std::size_t name_width = 4, target_width = 6;
  for (const auto& c : run.results) {
    name_width = std::min(max_column, std::max(name_width, c.name.size()));
    target_width = std::min(max_column, std::max(target_width, c.target.size()));
  }
  out << "edgeprobe " << run.suite << " — " << run.results.size() << " check" << (run.results.size() == 1 ? "" : "s")
      << '\n';
  for (const auto& c : run.results)
    if (!options.quiet || c.outcome.state != status::pass || c.outcome.why != reason::none)
      write_check(c, name_width, target_width, out, options);

  const auto s = run.summary();
  out << '\n'
      << label(run.overall(), options.color) << " " << s.total << " checks: " << s.pass << " pass, " << s.warn
      << " warn, " << s.fail << " fail, " << s.error << " error, " << s.skip << " skip ("
      << static_cast<long>(run.duration_ms + 0.5) << " ms)\n";
}

} // namespace edgeprobe
