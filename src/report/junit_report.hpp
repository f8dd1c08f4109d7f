// The JUnit XML report for CI systems (results.md, "Outputs": junit). It must
// validate against the schema CI servers consume: tests/data/junit/junit.xsd,
// the Jenkins xUnit plugin's junit-10.xsd.
//
// Layout: <testsuites> holds one <testsuite> per run (a check_result does not
// record which suite file it came from, so a run over several suites, named
// "a+b", is one testsuite), one <testcase> per check with classname
// "SUITE.PROBE". fail → <failure>, error → <error>, skip → <skipped>; warn is a
// passing testcase with the warning in <system-out>.
#pragma once
#include "report/reporter.hpp"

#include <string>
#include <string_view>

namespace edgeprobe {

void write_junit_report(const run_result& run, std::ostream& out, const report_options& options);

// `raw` with what no consumer can take: invalid UTF-8 (including encoded
// surrogates and overlong forms) becomes U+FFFD, and control characters (C0
// except tab, LF and CR; DEL; C1) and U+FFFE/U+FFFF are dropped. What is left is valid in XML 1.0 and printable
// in YAML, so the TAP reporter uses it too. Probe messages carry a hostile
// server's bytes.
std::string printable_text(std::string_view raw);

// Where escaped text goes: attribute values also need tab, LF and CR as
// character references, or a parser's attribute normalisation turns them into
// spaces.
enum class xml_context { text, attribute };

// printable_text(raw) with &, <, >, " escaped (and tab/LF/CR per `where`): the
// one escaping function every byte of the JUnit report goes through.
std::string xml_escaped(std::string_view raw, xml_context where);

// The verdict's own hint, or its reason's standard hint when it has none
// (result.hpp: "empty: the reason's standard hint").
std::string hint_or_standard(const verdict& v);

} // namespace edgeprobe
