#include "report/html_report.hpp"

#include "core/version.hpp"
#include "report/certificate_text.hpp"
#include "report/json_report.hpp"
#include "report/junit_report.hpp"
#include "report/lag_note.hpp"
#include "wire/ascii.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace edgeprobe {

namespace {

// The only loads the page may make: its own inline styles (and data: images,
// which it does not use today). No script-src: the page works without any.
constexpr std::string_view content_security_policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

// One stylesheet, inline. Status colours are custom properties set by the
// s-<status> classes, so a badge, a card's edge and the header share them.
// System fonts only: a web font would be a load the policy refuses.
constexpr std::string_view stylesheet = R"css(
:root{--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--error:#8250df;--skip:#6e7781;
--line:#d0d7de;--muted:#59636e;--ink:#1f2328;--label:10rem;--c:var(--skip)}
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:var(--ink);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Liberation Sans",sans-serif}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace}
.s-pass{--c:var(--pass)}.s-warn{--c:var(--warn)}.s-fail{--c:var(--fail)}
.s-error{--c:var(--error)}.s-skip{--c:var(--skip)}
.top{display:flex;align-items:center;gap:20px;padding:18px 28px;background:#fff;border-bottom:5px solid var(--c)}
.top .overall{font-size:24px;font-weight:700;letter-spacing:.05em;color:#fff;background:var(--c);
padding:10px 18px;border-radius:8px}
.top h1{margin:0;font-size:22px;overflow-wrap:anywhere}
.top p{margin:4px 0 0;color:var(--muted)}
main{max-width:1160px;margin:0 auto;padding:4px 24px 40px}
.run>h2{display:flex;align-items:center;gap:10px;margin:24px 0 10px;font-size:19px;overflow-wrap:anywhere}
.badge{display:inline-block;min-width:4.6em;padding:2px 8px;border-radius:4px;background:var(--c);color:#fff;
font-size:12px;font-weight:700;letter-spacing:.05em;text-align:center;white-space:nowrap}
table.summary{border-collapse:collapse;background:#fff;margin:20px 0 14px}
.run>h2+table.summary{margin-top:0}
table.summary th,table.summary td{border:1px solid var(--line);padding:5px 12px;text-align:left;white-space:nowrap}
table.summary th{background:#f6f8fa;font-weight:600;color:var(--muted)}
table.summary td.count{text-align:right;font-variant-numeric:tabular-nums}
table.summary td.count.nonzero{color:var(--c);font-weight:700}
.attention{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;margin:0 0 14px}
.attention h3{margin:0 0 6px;font-size:15px}
.attention ul{margin:0;padding:0;list-style:none}
.attention li{margin:3px 0;overflow-wrap:anywhere}
.attention a{color:var(--ink);font-weight:600}
.check{background:#fff;border:1px solid var(--line);border-left:6px solid var(--c);border-radius:8px;
margin:12px 0;padding:12px 16px;break-inside:avoid}
.check.s-fail{background:#fff8f7}.check.s-error{background:#fbf8ff}.check.s-warn{background:#fffcf2}
.check.s-fail,.check.s-error{box-shadow:0 0 0 1px var(--c)}
.check-head{display:flex;align-items:baseline;flex-wrap:wrap;gap:4px 10px}
.check-head h3{margin:0;font-size:16px;overflow-wrap:anywhere}
.reason{font-weight:700;color:var(--c)}
.dur{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap}
.message{margin:8px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.hint{margin:8px 0;padding:6px 10px;background:#fff8c5;border-left:3px solid #d4a72c;border-radius:4px;
white-space:pre-wrap}
.facts{display:flex;flex-wrap:wrap;gap:2px 22px;margin:8px 0;font-size:13px}
.facts div{display:flex;gap:6px;min-width:0}
.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.tag{display:inline-block;margin:0 4px 2px 0;padding:0 8px;border-radius:10px;background:#ddf4ff;color:#0550ae;
font-size:12px}
.wf{position:relative;margin:10px 0 6px;font-size:12px}
.wf-lines{position:absolute;top:0;bottom:0;left:var(--label);right:0}
.wf-lines i{position:absolute;top:0;bottom:0;border-left:1px dashed var(--line)}
.wf-row{position:relative;display:flex;align-items:center;height:20px}
.wf-name{flex:0 0 var(--label);padding-right:10px;overflow:hidden;text-align:right;white-space:nowrap;
text-overflow:ellipsis;color:var(--muted)}
.wf-track{position:relative;flex:1;height:100%}
.wf-bar{position:absolute;top:3px;height:14px;min-width:2px;border-radius:2px}
.wf-label{position:absolute;top:2px;padding:0 6px;white-space:nowrap;font-variant-numeric:tabular-nums}
.wf-label.before,.wf-label.inside{transform:translateX(-100%)}
.wf-label.inside{top:3px;color:#fff;font-size:11px;font-weight:600}
.wf-axis{color:var(--muted);border-bottom:1px solid var(--line)}
.wf-axis .wf-track span{position:absolute;top:2px;transform:translateX(-50%);font-variant-numeric:tabular-nums}
.wf-axis .wf-track span:first-child{transform:none}
.wf-group .wf-name{color:var(--ink);font-weight:600}
.wf-note,.muted{color:var(--muted);font-size:12px;margin:4px 0}
.problems{margin:8px 0;font-size:13px}
.problems h4{margin:0 0 4px;font-size:13px;color:var(--muted);font-weight:600}
.problems ol{margin:0;padding-left:1.6em}
.problems li{margin:3px 0;overflow-wrap:anywhere}
.problems .badge{min-width:3.6em;font-size:11px}
.problems .where{color:var(--muted)}
.problems .text{display:block;white-space:pre-wrap}
.addr{border-top:1px solid var(--line);margin-top:10px;padding-top:8px}
.addr-head{display:flex;align-items:baseline;flex-wrap:wrap;gap:4px 10px}
details.evidence{margin:8px 0 0}
details.evidence summary{cursor:pointer;color:#0969da;font-size:13px}
pre{margin:6px 0;padding:8px 10px;max-height:36em;overflow:auto;background:#f6f8fa;border:1px solid var(--line);
border-radius:6px;font-size:12px;line-height:1.4;white-space:pre-wrap;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;text-align:center;margin:24px 0}
@media print{
body{background:#fff}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0 8px}pre{max-height:none}.check{box-shadow:none}
}
)css";

// Milliseconds for people: more decimals where they still mean something.
std::string ms_text(double ms) {
  char text[48];
  std::snprintf(text, sizeof text, ms < 10 ? "%.2f ms" : ms < 1000 ? "%.1f ms" : "%.0f ms", ms);
  return text;
}

// The exact figure, for titles: what the bar's drawing may round away.
std::string ms_exact(double ms) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f ms", ms);
  return text;
}

// A CSS percentage: three decimals are far below a pixel, trailing zeros go.
std::string percent(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f", value);
  std::string out = text;
  out.erase(out.find_last_not_of('0') + 1);
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0%" : out + "%";
}

// A duration from the run, made safe to draw with: never negative, never NaN.
double finite(double ms) { return std::isfinite(ms) && ms > 0 ? ms : 0; }

std::string status_class(status s) { return "s-" + std::string(to_string(s)); }

std::string status_word(status s) { return upper_ascii(to_string(s)); }

std::string badge(status s) { return "<span class=\"badge " + status_class(s) + "\">" + status_word(s) + "</span>"; }

std::string endpoint(const address_result& a) {
  const bool v6 = a.address.find(':') != std::string::npos;
  return (v6 ? "[" + a.address + "]" : a.address) + ":" + std::to_string(a.port);
}

// "2 checks: 1 pass, 1 fail": only the statuses that occur.
std::string counts_text(const run_summary& s) {
  std::string text = std::to_string(s.total) + (s.total == 1 ? " check" : " checks");
  const std::pair<int, const char*> counts[] = {
      {s.pass, "pass"}, {s.warn, "warn"}, {s.fail, "fail"}, {s.error, "error"}, {s.skip, "skip"}};
  std::string parts;
  for (const auto& [n, word] : counts)
    if (n > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + word;
  return parts.empty() ? text : text + ": " + parts;
}

run_summary add(run_summary a, const run_summary& b) {
  a.total += b.total, a.pass += b.pass, a.warn += b.warn, a.fail += b.fail, a.error += b.error, a.skip += b.skip;
  return a;
}

// A phase's colour: the common phases keep theirs across checks, so a reader
// learns them once; any other name gets a stable colour from its bytes.
std::string_view phase_colour(std::string_view name) {
  // None of them is a status colour, so a bar never reads as a verdict.
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"dns", "#0f7b6c"},     {"connect", "#c4540b"},    {"tls", "#6e40c9"},       {"starttls", "#8c5cd6"},
      {"request", "#0969da"}, {"first_byte", "#3b5bdb"}, {"transfer", "#1c7ed6"}};
  static constexpr std::array<std::string_view, 6> others{"#bf3989", "#7d4e00", "#116329",
                                                          "#953800", "#5a32a3", "#0a3069"};
  for (const auto& [phase, colour] : known)
    if (phase == name) return colour;
  unsigned sum = 0;
  for (const unsigned char c : name) sum = sum * 31 + c;
  return others[sum % others.size()];
}

// ---- the waterfall ---------------------------------------------------------

// One labelled lane: a named row of the waterfall, with the phase it draws.
struct lane {
  std::string name;
  const phase* drawn = nullptr; // nullptr: a heading row (an address)
  std::string heading_badge;
};

// The check's own phases are what the check took: the name lookup and the
// phases of the address that decided its verdict. With several addresses,
// each address's phases follow under its own heading (they ran in parallel),
// so the one that failed can be seen beside the one that decided; with one,
// they are the check's phases already.
std::vector<lane> lanes_of(const check_result& c) {
  std::vector<lane> lanes;
  for (const auto& p : c.phases) lanes.push_back({p.name, &p, ""});
  if (c.addresses.size() < 2) return lanes;
  for (const auto& a : c.addresses) {
    if (a.phases.empty()) continue;
    lanes.push_back({endpoint(a), nullptr, badge(a.outcome.state)});
    for (const auto& p : a.phases) lanes.push_back({p.name, &p, ""});
  }
  return lanes;
}

// The waterfall's full width in ms: the check's duration, or the end of its
// last phase if that is later (so no bar ever runs off the track).
double scale_of(const std::vector<lane>& lanes, double duration_ms) {
  double scale = finite(duration_ms);
  for (const auto& l : lanes)
    if (l.drawn) scale = std::max(scale, finite(l.drawn->start_ms) + finite(l.drawn->duration_ms));
  return scale;
}

// 1, 2 or 5 times a power of ten: about five gridlines across the waterfall.
double tick_step(double scale) {
  const double rough = scale / 5;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  const double mantissa = rough / power;
  return (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10) * power;
}

std::string tick_text(double value, double step) {
  if (value == 0) return "0";
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// The axis row in ms, and the dashed gridlines behind every lane.
void write_axis(double scale, std::ostream& out) {
  const double step = tick_step(scale);
  std::string lines, labels;
  for (int k = 0; k <= 10 && k * step <= scale * (1 + 1e-9); ++k) {
    const auto left = percent(k * step / scale * 100);
    lines += "<i style=\"left:" + left + "\"></i>";
    labels += "<span style=\"left:" + left + "\">" + tick_text(k * step, step) + "</span>";
  }
  out << "<div class=\"wf-lines\">" << lines << "</div>\n"
      << "<div class=\"wf-row wf-axis\"><div class=\"wf-name\">ms</div><div class=\"wf-track\">" << labels
      << "</div></div>\n";
}

// Where a bar's label goes: after the bar while there is room on its right,
// else before it while there is room on its left, else inside its end.
enum class label_place { after, before, inside };

label_place place_label(double left, double width) {
  if (left + width <= 75) return label_place::after;
  return left >= 20 ? label_place::before : label_place::inside;
}

// A bar at start/scale with width duration/scale (CSS gives a 0-ms phase a
// sliver, min-width, to stay visible); the title has the exact numbers.
void write_bar(const lane& l, double scale, std::ostream& out) {
  static constexpr std::string_view label_class[] = {"wf-label", "wf-label before", "wf-label inside"};
  const double start = finite(l.drawn->start_ms), length = finite(l.drawn->duration_ms);
  const double left = start / scale * 100, width = length / scale * 100;
  const auto place = place_label(left, width);
  const std::string title = l.name + ": " + ms_exact(start) + " to " + ms_exact(start + length) + ", " +
                            ms_exact(length) + phase_lag_text(*l.drawn);
  out << "<div class=\"wf-row\"><div class=\"wf-name\">" << html_escaped(l.name) << "</div><div class=\"wf-track\">"
      << "<div class=\"wf-bar\" style=\"left:" << percent(left) << ";width:" << percent(width)
      << ";background:" << phase_colour(l.name) << "\" title=\"" << html_escaped(title) << "\"></div>"
      << "<span class=\"" << label_class[static_cast<int>(place)] << "\" style=\"left:"
      << percent(place == label_place::before ? left : left + width) << "\">" << ms_text(length)
      << html_escaped(phase_lag_text(*l.drawn)) << "</span></div></div>\n";
}

void write_waterfall(const check_result& c, std::ostream& out) {
  const auto lanes = lanes_of(c);
  const double scale = scale_of(lanes, c.duration_ms);
  if (lanes.empty() || scale <= 0) {
    out << "<p class=\"muted\">No phases recorded.</p>\n";
    return;
  }
  out << "<div class=\"wf\">\n";
  write_axis(scale, out);
  for (const auto& l : lanes) {
    if (l.drawn) write_bar(l, scale, out);
    else
      out << "<div class=\"wf-row wf-group\"><div class=\"wf-name mono\">" << html_escaped(l.name)
          << "</div><div class=\"wf-track\">" << l.heading_badge << "</div></div>\n";
  }
  out << "</div>\n";
  // Phases are timed from the start of the attempt whose result is shown,
  // while the check's duration spans every attempt.
  if (c.attempts > 1)
    out << "<p class=\"wf-note\">Phases of the attempt whose result is shown, timed from its start; the check took "
        << c.attempts << " attempts.</p>\n";
}

// ---- a check -----------------------------------------------------------------

// Evidence as the JSON document has it, pretty-printed; a certificate chain is
// first summarised the way engineers read one (issuer, subject, SANs, expiry).
// `label_html` is markup, already escaped.
void write_evidence(const nlohmann::json& details, std::string_view label_html, std::ostream& out) {
  if (!details.is_object() || details.empty()) return;
  out << "<details class=\"evidence\"><summary>" << label_html << "</summary>\n";
  const auto tls = details.find("tls");
  if (tls != details.end() && tls->is_object() && tls->contains("chain")) {
    std::ostringstream certificates;
    write_certificates((*tls)["chain"], 0, certificates);
    if (!certificates.str().empty()) out << "<pre>" << html_escaped(certificates.str()) << "</pre>\n";
  }
  out << "<pre>" << html_escaped(details.dump(2, ' ', false, nlohmann::json::error_handler_t::replace))
      << "</pre>\n</details>\n";
}

// Message and hint: the "why" and "what next" of a verdict, for the check and
// for each address. An address's hint is left out when it is the check's
// again (addresses that fail alike share the standard hint).
void write_verdict(const verdict& v, std::ostream& out, std::string_view hint_above = {}) {
  if (!v.message.empty()) out << "<p class=\"message\">" << html_escaped(v.message) << "</p>\n";
  if (const auto hint = hint_or_standard(v); !hint.empty() && hint != hint_above)
    out << "<p class=\"hint\"><strong>Hint:</strong> " << html_escaped(hint) << "</p>\n";
}

std::string reason_chip(const verdict& v) {
  if (v.why == reason::none) return "";
  return "<code class=\"reason\">" + html_escaped(code(v.why)) + "</code>";
}

// details.problems, when it says more than the check's reason already does
// (a lone finding that is the reason would only repeat the message): every
// finding in the order found, with its status, code, address and message.
void write_problems(const verdict& v, std::ostream& out) {
  const auto list = v.details.is_object() ? v.details.find("problems") : v.details.end();
  if (list == v.details.end() || !list->is_array() || list->empty()) return;
  const auto text = [](const nlohmann::json& entry, const char* key) {
    const auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (list->size() == 1 && list->front().is_object() && text(list->front(), "reason") == code(v.why)) return;
  out << "<div class=\"problems\"><h4>Every finding, in the order found</h4><ol>\n";
  for (const auto& p : *list) {
    if (!p.is_object()) continue;
    const auto state = status_from_string(text(p, "status")).value_or(status::skip);
    out << "<li>" << badge(state) << " <code class=\"reason " << status_class(state) << "\">"
        << html_escaped(text(p, "reason")) << "</code>";
    if (const auto where = text(p, "address"); !where.empty())
      out << " <span class=\"where\">at <code>" << html_escaped(where) << "</code></span>";
    out << "<span class=\"text\">" << html_escaped(text(p, "message")) << "</span></li>\n";
  }
  out << "</ol></div>\n";
}

// Name/value pairs, each pair in a <div> (allowed in a <dl>) so they wrap as units.
void write_fact(std::string_view name, const std::string& value_html, std::ostream& out) {
  out << "<div><dt>" << name << "</dt><dd>" << value_html << "</dd></div>";
}

void write_facts(const check_result& c, std::ostream& out) {
  out << "<dl class=\"facts\">";
  write_fact("Probe", "<code>" + html_escaped(c.probe) + "</code>", out);
  write_fact("Target", "<code>" + html_escaped(c.target) + "</code>", out);
  write_fact("Attempts", std::to_string(c.attempts), out);
  write_fact("Started", ms_text(c.started_ms) + " into the run", out);
  if (!c.tags.empty()) {
    std::string tags;
    for (const auto& tag : c.tags) tags += "<span class=\"tag\">" + html_escaped(tag) + "</span>";
    write_fact("Tags", tags, out);
  }
  out << "</dl>\n";
}

void write_address(const address_result& a, std::string_view check_hint, std::ostream& out) {
  out << "<div class=\"addr " << status_class(a.outcome.state) << "\"><div class=\"addr-head\">"
      << badge(a.outcome.state) << "<code>" << html_escaped(endpoint(a)) << "</code>" << reason_chip(a.outcome)
      << "</div>\n";
  write_verdict(a.outcome, out, check_hint);
  write_evidence(a.outcome.details, "Evidence from " + html_escaped(endpoint(a)), out);
  out << "</div>\n";
}

std::string check_id(std::size_t run_index, std::size_t check_index) {
  return "r" + std::to_string(run_index) + "-c" + std::to_string(check_index);
}

void write_check(const check_result& c, const std::string& id, std::ostream& out) {
  out << "<article class=\"check " << status_class(c.outcome.state) << "\" id=\"" << id << "\">\n"
      << "<div class=\"check-head\">" << badge(c.outcome.state) << "<h3>" << html_escaped(c.name) << "</h3>"
      << reason_chip(c.outcome) << "<span class=\"dur\">" << ms_text(c.duration_ms) << "</span></div>\n";
  write_verdict(c.outcome, out);
  if (const auto busy = lag_note(c); !busy.empty()) out << "<p class=\"wf-note\">" << html_escaped(busy) << "</p>\n";
  write_problems(c.outcome, out);
  write_facts(c, out);
  write_waterfall(c, out);
  write_evidence(c.outcome.details, "Evidence", out);
  const auto check_hint = hint_or_standard(c.outcome);
  for (const auto& a : c.addresses) write_address(a, check_hint, out);
  out << "</article>\n";
}

// ---- a run and the page --------------------------------------------------------

void write_summary_table(const run_result& run, std::ostream& out) {
  const auto s = run.summary();
  const std::pair<int, status> counts[] = {
      {s.pass, status::pass}, {s.warn, status::warn}, {s.fail, status::fail}, {s.error, status::error},
      {s.skip, status::skip}};
  out << "<table class=\"summary\"><tr><th>Status</th><th>Checks</th>";
  for (const auto& [n, state] : counts) out << "<th>" << to_string(state) << "</th>";
  out << "<th>Started (UTC)</th><th>Duration</th><th>edgeprobe</th></tr>\n<tr><td>" << badge(run.overall())
      << "</td><td class=\"count\">" << s.total << "</td>";
  for (const auto& [n, state] : counts)
    out << "<td class=\"count " << status_class(state) << (n > 0 ? " nonzero" : "") << "\">" << n << "</td>";
  out << "<td class=\"mono\">" << html_escaped(iso8601_utc(run.started_at)) << "</td><td>" << ms_text(run.duration_ms)
      << "</td><td>" << html_escaped(version) << "</td></tr></table>\n";
}

// What did not pass, linked to its card: the reader starts there. The cards
// themselves keep the suite's order.
void write_attention(const run_result& run, std::size_t run_index, std::ostream& out) {
  std::string items;
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const auto& c = run.results[i];
    if (c.outcome.state == status::pass) continue;
    items += "<li>" + badge(c.outcome.state) + " <a href=\"#" + check_id(run_index, i) + "\">" +
             html_escaped(c.name) + "</a> " + reason_chip(c.outcome) + "</li>\n";
  }
  if (!items.empty()) out << "<nav class=\"attention\"><h3>Needs attention</h3><ul>\n" << items << "</ul></nav>\n";
}

// A run's section. Its heading names the suite only on a page of several
// runs: alone, the page's header already does.
void write_run(const run_result& run, std::size_t run_index, bool titled, std::ostream& out) {
  out << "<section class=\"run\">\n";
  if (titled) out << "<h2>" << badge(run.overall()) << html_escaped(run.suite) << "</h2>\n";
  write_summary_table(run, out);
  write_attention(run, run_index, out);
  for (std::size_t i = 0; i < run.results.size(); ++i) write_check(run.results[i], check_id(run_index, i), out);
  if (run.results.empty()) out << "<p class=\"muted\">This run has no checks.</p>\n";
  out << "</section>\n";
}

std::string default_title(std::span<const run_result* const> runs) {
  std::string suites;
  for (const auto* run : runs) suites += (suites.empty() ? "" : ", ") + run->suite;
  return "edgeprobe: " + (suites.empty() ? std::string("no runs") : suites);
}

void write_head(const std::string& title, int refresh_seconds, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << content_security_policy << "\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  if (refresh_seconds > 0) out << "<meta http-equiv=\"refresh\" content=\"" << refresh_seconds << "\">\n";
  out << "<title>" << html_escaped(title) << "</title>\n<style>" << stylesheet << "</style>\n</head>\n";
}

// The page's header: the overall status of everything on it, big, first.
void write_page_header(std::span<const run_result* const> runs, const std::string& title, std::ostream& out) {
  status overall = status::pass;
  run_summary total;
  for (const auto* run : runs) {
    overall = worst(overall, run->overall());
    total = add(total, run->summary());
  }
  out << "<header class=\"top " << status_class(overall) << "\"><div class=\"overall\">" << status_word(overall)
      << "</div><div><h1>" << html_escaped(title) << "</h1><p>" << counts_text(total);
  if (runs.size() == 1)
    out << " in " << ms_text(runs.front()->duration_ms) << " · started "
        << html_escaped(iso8601_utc(runs.front()->started_at));
  else out << " in " << runs.size() << " suites";
  out << "</p></div></header>\n";
}

} // namespace

std::string html_escaped(std::string_view raw) {
  const auto text = printable_text(raw);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void write_html_page(std::span<const run_result* const> runs, std::ostream& out, const html_page_options& options) {
  const auto title = options.title.empty() ? default_title(runs) : options.title;
  write_head(title, options.refresh_seconds, out);
  out << "<body>\n";
  write_page_header(runs, title, out);
  out << "<main>\n";
  for (std::size_t i = 0; i < runs.size(); ++i) write_run(*runs[i], i, runs.size() > 1, out);
  if (runs.empty()) out << "<p class=\"muted\">No runs yet.</p>\n";
  out << "</main>\n<footer>edgeprobe " << html_escaped(version) << "</footer>\n</body>\n</html>\n";
}

void write_html_report(const run_result& run, std::ostream& out, const report_options&) {
  const run_result* runs[] = {&run};
  write_html_page(runs, out, {});
}

} // namespace edgeprobe
