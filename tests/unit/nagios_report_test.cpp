// The nagios format as Nagios/Icinga read it (Monitoring Plugins development
// guidelines): one status line cut at its only `|`, perfdata items in the
// guidelines' grammar, long output one line per check, and the 0/1/2/3 states.
#include "report/nagios_report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <vector>

using namespace edgeprobe;

namespace {

const std::string hostile_name = "Zürich – 東京 \"quoted\" 'single' back\\slash\nnew=line|pipe";

check_result make_check(std::string name, status s, reason why = reason::none, std::string message = "",
                        double duration_ms = 1) {
  check_result c;
  c.name = std::move(name);
  c.probe = "tcp";
  c.target = "sip.contoso.com:443";
  c.outcome.raise(s, why, std::move(message));
  c.duration_ms = duration_ms;
  c.attempts = 1;
  return c;
}

run_result run_of(std::vector<check_result> checks) {
  run_result run;
  run.suite = "edge";
  run.results = std::move(checks);
  return run;
}

// Every status, a hostile name and message, phases, and a TLS chain in details.
run_result hostile_run() {
  auto tls = make_check("Access Edge answers TLS", status::pass, reason::none, "TLSv1.3 with CN=sip", 54.25);
  tls.probe = "tls";
  tls.phases = {{"connect", 0, 10}, {"tls", 10, 30}};
  address_result a;
  a.address = "192.0.2.10";
  a.port = 443;
  a.outcome.details = {{"tls", {{"chain", {{{"subject", "CN=sip"}, {"not_after", "2027-01-02T03:04:05Z"}}}}}}};
  tls.addresses.push_back(a);
  auto failing = make_check(hostile_name, status::fail, reason::tcp_refused, "refused | by 192.0.2.10\nsecond line", 12.3);
  failing.outcome.hint = "look | here";
  return run_of({tls, failing,
                 make_check("expiring", status::warn, reason::tls_cert_expires_soon, "in 9 days", 40),
                 make_check("broken option", status::error, reason::config_invalid, "bad option", 0.5),
                 make_check("after broken", status::skip, reason::check_needs_failed, "needs broken option", 0)});
}

std::string report(const run_result& run, const report_options& options = {}) {
  std::ostringstream out;
  write_nagios_report(run, out, options);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string perfdata_item = R"('(?:[^']|'')+'=[0-9.]+(?:ms|s|%|B|KB|MB|TB|c)?(?:;[0-9.]*){0,4})";

struct status_line {
  std::string state, summary, perfdata;
};

status_line parse_status_line(const std::string& line) {
  static const std::regex shape(R"(^EDGEPROBE (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+?)(?: \| (.*))?$)");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_match(line, m, shape), line);
  return {m[1], m[2], m[3]};
}

// The labels of the perfdata items, `''` undone; fails unless every item
// matches the guidelines' grammar and items are separated by single spaces.
std::vector<std::string> perfdata_labels(const std::string& perfdata) {
  static const std::regex whole("^" + perfdata_item + "(?: " + perfdata_item + ")*$");
  REQUIRE_MESSAGE(std::regex_match(perfdata, whole), perfdata);
  static const std::regex item("'((?:[^']|'')+)'=");
  std::vector<std::string> labels;
  for (std::sregex_iterator it(perfdata.begin(), perfdata.end(), item), end; it != end; ++it) {
    std::string label = (*it)[1];
    for (auto pos = label.find("''"); pos != std::string::npos; pos = label.find("''", pos + 1)) label.erase(pos, 1);
    labels.push_back(label);
  }
  return labels;
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("nagios: the status line follows the guidelines") {
  const auto lines = lines_of(report(hostile_run()));
  REQUIRE(lines.size() == 6); // status line + one per check
  const auto parsed = parse_status_line(lines[0]);
  CHECK(parsed.state == "CRITICAL");
  CHECK(parsed.summary ==
        "1 of 5 checks failed: Zürich – 東京 \"quoted\" 'single' back\\slash new=line\xC2\xA6pipe (tcp.refused); "
        "also 1 error, 1 warn, 1 skip");

  const auto labels = perfdata_labels(parsed.perfdata);
  // The skipped check never ran: no duration for it.
  CHECK(labels == std::vector<std::string>{"Access Edge answers TLS",
                                           "Zürich – 東京 \"quoted\" 'single' back\\slash new=line\xC2\xA6pipe",
                                           "expiring", "broken option"});
  CHECK(parsed.perfdata.find("'Access Edge answers TLS'=54.250ms;;;0") == 0);
  CHECK(parsed.perfdata.find("'single'' back") != std::string::npos);
}

TEST_CASE("nagios: long output has one line per check and no pipe leaks into text") {
  const auto text = report(hostile_run(), {.verbose = true});
  const auto lines = lines_of(text);
  CHECK(std::count(text.begin(), text.end(), '|') == 1); // the perfdata separator only
  CHECK(lines[0].find(" | ") != std::string::npos);
  REQUIRE(lines.size() == 7); // the fail's hint adds one line under -v
  CHECK(lines[1] == "[PASS] Access Edge answers TLS: TLSv1.3 with CN=sip");
  CHECK(lines[2] == "[FAIL] Zürich – 東京 \"quoted\" 'single' back\\slash new=line\xC2\xA6pipe: tcp.refused — refused "
                    "\xC2\xA6 by 192.0.2.10 second line");
  CHECK(lines[3] == "    hint: look \xC2\xA6 here");
  CHECK(lines[4] == "[WARN] expiring: tls.cert.expires_soon — in 9 days");
  CHECK(lines[5] == "[ERROR] broken option: config.invalid — bad option");
  CHECK(lines[6] == "[SKIP] after broken: check.needs_failed — needs broken option");
}

TEST_CASE("nagios: quiet leaves passes out of the long output") {
  const auto lines = lines_of(report(hostile_run(), {.quiet = true}));
  REQUIRE(lines.size() == 5);
  CHECK(lines[1].rfind("[FAIL] ", 0) == 0);
}

TEST_CASE("nagios: exit codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN") {
  const auto pass = make_check("a", status::pass);
  const auto skip = make_check("s", status::skip, reason::check_needs_failed);
  const auto warn = make_check("w", status::warn, reason::tls_cert_expires_soon);
  const auto fail = make_check("f", status::fail, reason::tcp_refused);
  const auto error = make_check("e", status::error, reason::config_invalid);

  CHECK(nagios_exit_code(run_of({pass, pass})) == 0);
  CHECK(nagios_exit_code(run_of({pass, skip})) == 0);
  CHECK(nagios_exit_code(run_of({pass, warn, skip})) == 1);
  CHECK(nagios_exit_code(run_of({pass, warn, fail})) == 2);
  CHECK(nagios_exit_code(run_of({error, fail})) == 2); // a known failure outranks an unknown
  CHECK(nagios_exit_code(run_of({pass, error})) == 3);
  CHECK(nagios_exit_code(run_of({warn, error})) == 3); // the errored check might be the critical one
  CHECK(nagios_exit_code(run_of({})) == 3);
  CHECK(nagios_exit_code(run_of({skip, skip})) == 3);
}

TEST_CASE("nagios: the state word agrees with the exit code") {
  const auto pass = make_check("a", status::pass, reason::none, "", 2);
  const auto warn = make_check("w", status::warn, reason::tls_cert_expires_soon, "soon", 3);
  const auto error = make_check("e", status::error, reason::config_invalid, "bad", 4);
  const auto skip = make_check("s", status::skip, reason::check_needs_failed);

  auto ok = parse_status_line(lines_of(report(run_of({pass, skip})))[0]);
  CHECK(ok.state == "OK");
  CHECK(ok.summary == "1 of 2 checks passed; also 1 skip");
  CHECK(ok.perfdata == "'a'=2.000ms;;;0");

  auto warning = parse_status_line(lines_of(report(run_of({pass, warn})))[0]);
  CHECK(warning.state == "WARNING");
  CHECK(warning.summary == "1 of 2 checks warn: w (tls.cert.expires_soon)");

  auto unknown = parse_status_line(lines_of(report(run_of({pass, error})))[0]);
  CHECK(unknown.state == "UNKNOWN");
  CHECK(unknown.summary == "1 of 2 checks could not be carried out: e (config.invalid)");

  const auto nothing = lines_of(report(run_of({})));
  REQUIRE(nothing.size() == 1);
  CHECK(nothing[0] == "EDGEPROBE UNKNOWN - no checks ran");
}

TEST_CASE("nagios: many failures are counted, names that collide stay apart") {
  std::vector<check_result> checks;
  for (int i = 0; i < 5; ++i) checks.push_back(make_check("x|y", status::fail, reason::tcp_refused, "", 1));
  checks.push_back(make_check("x\xC2\xA6y", status::fail, reason::tcp_refused, "", 1));
  const auto parsed = parse_status_line(lines_of(report(run_of(checks)))[0]);
  CHECK(parsed.summary.find("6 of 6 checks failed: ") == 0);
  CHECK(parsed.summary.find(" and 3 more") != std::string::npos);
  const auto labels = perfdata_labels(parsed.perfdata);
  REQUIRE(labels.size() == 6);
  CHECK(labels[0] == "x\xC2\xA6y");
  CHECK(labels[1] == "x\xC2\xA6y #2");
  CHECK(labels[5] == "x\xC2\xA6y #6");
}

} // TEST_SUITE
