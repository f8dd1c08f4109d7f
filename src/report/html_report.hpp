// The HTML report (results.md, "Outputs": html): one self-contained page to
// send to someone. A summary, every check with its reason, hint and evidence,
// and a waterfall of each check's phases drawn to scale.
//
// Self-contained: the CSS is inline, there is no script, and nothing refers to
// anything outside the file. A Content-Security-Policy meta refuses every load
// besides inline styles and data: images, so a mistake shows as a blocked
// request in the browser's console instead of the report phoning home when
// someone opens it.
#pragma once
#include "report/reporter.hpp"

#include <span>
#include <string>
#include <string_view>

namespace edgeprobe {

struct html_page_options {
  std::string title;       // empty: "edgeprobe: <suite names>"
  int refresh_seconds = 0; // >0: <meta http-equiv="refresh"> (serve's status page reloads itself)
};

// One page for one or more runs: serve's status page shows every scheduled
// suite's latest run, the `html` reporter one run.
void write_html_page(std::span<const run_result* const> runs, std::ostream& out, const html_page_options& options);

// The `html` reporter: the page for one run.
void write_html_report(const run_result& run, std::ostream& out, const report_options& options);

// printable_text(raw) (invalid UTF-8 becomes U+FFFD, control characters are
// dropped) with & < > " ' as character references: the one escaping function
// every piece of the run's text goes through, safe in element content and in
// quoted attribute values alike.
std::string html_escaped(std::string_view raw);

} // namespace edgeprobe
