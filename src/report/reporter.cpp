#include "report/reporter.hpp"

#include "report/html_report.hpp"
#include "report/human_report.hpp"
#include "report/json_report.hpp"
#include "report/junit_report.hpp"
#include "report/nagios_report.hpp"
#include "report/prometheus_report.hpp"
#include "report/tap_report.hpp"

#include <array>

namespace edgeprobe {

namespace {
const std::array<reporter, 7> builtin{{
    {"human", "for people at a terminal: one line per check, reasons and hints under failures", write_human_report},
    {"json", "the result document (results.md) for machines and archives", write_json_report},
    {"nagios", "Nagios/Icinga/Sensu plugin output: status line with perfdata, a line per check; exit 0/1/2/3",
     write_nagios_report},
    {"prometheus", "Prometheus text exposition (node_exporter textfile collector): success, status, durations, "
                   "phases, reasons, certificate expiry",
     write_prometheus_report},
    {"junit", "JUnit XML for CI servers (Jenkins/Surefire schema): a testcase per check, failures with reason and hint",
     write_junit_report},
    {"tap", "TAP 13 with YAML diagnostics for TAP consumers (prove)", write_tap_report},
    {"html", "one self-contained HTML file to send to someone: summary, every check with reason, hint and evidence, "
             "a waterfall of phases",
     write_html_report},
}};
} // namespace

std::span<const reporter> reporters() { return builtin; }

const reporter* find_reporter(std::string_view name) {
  for (const auto& r : builtin)
    if (r.name == name) return &r;
  return nullptr;
}

} // namespace edgeprobe
