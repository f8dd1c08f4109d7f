// The JUnit report, proven by what consumes it: xmllint validates it against
// the schema CI servers use (tests/data/junit/junit.xsd), and pugixml reads it
// back — counts, the failure's type and message, skips, and names exactly as
// the checks had them, hostile bytes and all.
#include "report/junit_report.hpp"

#include "support/process.hpp"
#include "support/result_builders.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <pugixml.hpp>

#include <sstream>

using namespace edgeprobe;
using test::make_address;
using test::make_check;

namespace {

// What a hostile or merely unusual peer and suite author can put in names and
// messages: markup, quotes, newlines, tabs, '#', non-ASCII text, a control
// byte and a byte that is not UTF-8.
const std::string pass_name = "Zürich – 東京 answers \"TLS\" <fast> & well";
const std::string warn_name = "certificate # expires\nsoon";
const std::string fail_name = "hostile <b>\"x\"</b> & 'y' #1\x01 tab\there";
const std::string fail_message = "banner \"<script>&amp;\" ]]>\nsecond line \x01\xff";

run_result hostile_run() {
  run_result run;
  run.suite = "contoso-edge+dmz";
  run.started_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795860000123));
  run.duration_ms = 812.4004;
  run.results.push_back(make_check(pass_name, "tls", status::pass, reason::none, ""));
  run.results.push_back(
      make_check(warn_name, "tls", status::warn, reason::tls_cert_expires_soon, "leaf expires in 9 days"));
  auto failed = make_check(fail_name, "tcp", status::fail, reason::tcp_refused, fail_message);
  failed.attempts = 2;
  failed.addresses.push_back(make_address("192.0.2.10", status::fail, reason::tcp_refused, "refused after 0.3 ms"));
  failed.addresses.push_back(make_address("2001:db8::10", status::fail, reason::tcp_timeout, "3 SYNs unanswered"));
  run.results.push_back(failed);
  run.results.push_back(
      make_check("internal & <error>", "http", status::error, reason::internal_error, "option \"x\" unknown"));
  run.results.push_back(make_check("skipped \"one\"", "dns", status::skip, reason::check_needs_failed,
                                   "needs \"" + fail_name + "\", which failed"));
  return run;
}

std::string junit_of(const run_result& run) {
  std::ostringstream out;
  write_junit_report(run, out, {});
  return out.str();
}

const std::string schema = std::string(EDGEPROBE_SOURCE_DIR) + "/tests/data/junit/junit.xsd";

test::process_output validate(const std::string& xml) {
  test::temp_dir dir;
  const auto file = dir.write("report.xml", xml);
  return test::run_process({"xmllint", "--noout", "--schema", schema, file.string()});
}

// The name without the control byte the report had to drop.
std::string without_control_bytes(std::string text) {
  std::erase(text, '\x01');
  return text;
}

pugi::xml_node testcase_named(const pugi::xml_document& doc, const std::string& name) {
  for (auto c : doc.child("testsuites").child("testsuite").children("testcase"))
    if (c.attribute("name").value() == name) return c;
  return {};
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("xml_escaped: markup escaped, text kept, what XML 1.0 forbids dropped or replaced") {
  CHECK(xml_escaped("a<b>&\"c'", xml_context::text) == "a&lt;b&gt;&amp;&quot;c'");
  CHECK(xml_escaped("l1\nl2\tx\r", xml_context::attribute) == "l1&#10;l2&#9;x&#13;");
  CHECK(xml_escaped("l1\nl2\tx\r", xml_context::text) == "l1\nl2\tx&#13;");
  CHECK(xml_escaped("Zürich – 東京 🙂", xml_context::attribute) == "Zürich – 東京 🙂");
  // Control characters: C0 (not tab/LF/CR), DEL, C1 (NEL, U+0085) are dropped.
  CHECK(xml_escaped(std::string("\x01ok\x00\x1b[31m\x7f\xc2\x85!", 13), xml_context::text) == "ok[31m!");
  // Bytes that are not UTF-8 become U+FFFD, one per byte: a stray byte, an
  // overlong '<', an encoded surrogate, a cut sequence, U+FFFF is dropped.
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(xml_escaped("a\xff" "b", xml_context::text) == "a" + fffd + "b");
  CHECK(xml_escaped("\xC0\xBC", xml_context::text) == fffd + fffd);
  CHECK(xml_escaped("\xED\xA0\x80", xml_context::text) == fffd + fffd + fffd);
  CHECK(xml_escaped("\xE6\x9D", xml_context::text) == fffd + fffd);
  CHECK(xml_escaped("x\xEF\xBF\xBFy", xml_context::text) == "xy");
}

TEST_CASE("the JUnit report of a hostile run validates against the CI servers' schema") {
  const auto result = validate(junit_of(hostile_run()));
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("validates") != std::string::npos);
}

TEST_CASE("the schema check can fail: an element the schema does not know is refused") {
  auto xml = junit_of(hostile_run());
  xml.insert(xml.find("</testcase>"), "<warning/>");
  const auto result = validate(xml);
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("fails to validate") != std::string::npos);
}

TEST_CASE("an empty run is a valid JUnit document with zero tests") {
  run_result run;
  run.suite = "empty";
  const auto xml = junit_of(run);
  CHECK(validate(xml).exit_code == 0);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  CHECK(doc.child("testsuites").attribute("tests").as_int(-1) == 0);
}

TEST_CASE("the JUnit report reads back: counts, failure, error, skipped, names") {
  const auto xml = junit_of(hostile_run());
  pugi::xml_document doc;
  // Default parsing, as a CI server would: character references decoded.
  const auto parsed = doc.load_string(xml.c_str());
  INFO(parsed.description());
  REQUIRE(parsed);

  const auto suites = doc.child("testsuites");
  CHECK(std::string(suites.attribute("name").value()) == "contoso-edge+dmz");
  CHECK(suites.attribute("tests").as_int() == 5);
  CHECK(suites.attribute("failures").as_int() == 1);
  CHECK(suites.attribute("errors").as_int() == 1);
  CHECK(std::string(suites.attribute("time").value()) == "0.812");

  const auto suite = suites.child("testsuite");
  CHECK(std::string(suite.attribute("name").value()) == "contoso-edge+dmz");
  CHECK(suite.attribute("tests").as_int() == 5);
  CHECK(suite.attribute("failures").as_int() == 1);
  CHECK(suite.attribute("errors").as_int() == 1);
  CHECK(suite.attribute("skipped").as_int() == 1);
  CHECK(std::string(suite.attribute("timestamp").value()) == "2026-11-28T10:00:00.123Z");
  CHECK(std::string(suite.attribute("hostname").value()) != "");
  const auto version = suite.child("properties").find_child_by_attribute("property", "name", "edgeprobe.version");
  CHECK(std::string(version.attribute("value").value()) == EDGEPROBE_VERSION);

  // Every name comes back exactly, the dropped control byte aside.
  std::vector<std::string> names;
  for (auto c : suite.children("testcase")) names.push_back(c.attribute("name").value());
  const auto run = hostile_run();
  REQUIRE(names.size() == run.results.size());
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(names[i] == without_control_bytes(run.results[i].name));

  SUBCASE("the failure carries reason, message, hint, target and both addresses") {
    const auto failed = testcase_named(doc, without_control_bytes(fail_name));
    REQUIRE(failed);
    CHECK(std::string(failed.attribute("classname").value()) == "contoso-edge+dmz.tcp");
    CHECK(std::string(failed.attribute("time").value()) == "0.054");
    const auto failure = failed.child("failure");
    REQUIRE(failure);
    CHECK(std::string(failure.attribute("type").value()) == "tcp.refused");
    CHECK(std::string(failure.attribute("message").value()) ==
          "tcp.refused: banner \"<script>&amp;\" ]]>\nsecond line \xEF\xBF\xBD");
    const std::string text = failure.text().get();
    CHECK(text.find("hint: " + std::string(hint(reason::tcp_refused))) != std::string::npos);
    CHECK(text.find("target: sip.contoso.com:5061 (probe tcp, 2 attempts)") != std::string::npos);
    CHECK(text.find("192.0.2.10:5061 fail tcp.refused: refused after 0.3 ms") != std::string::npos);
    CHECK(text.find("[2001:db8::10]:5061 fail tcp.timeout: 3 SYNs unanswered") != std::string::npos);
  }

  SUBCASE("error, skipped and a warning that passes") {
    const auto errored = testcase_named(doc, "internal & <error>").child("error");
    REQUIRE(errored);
    CHECK(std::string(errored.attribute("type").value()) == "internal.error");
    CHECK(std::string(errored.attribute("message").value()) == "internal.error: option \"x\" unknown");

    const auto skipped = testcase_named(doc, "skipped \"one\"").child("skipped");
    REQUIRE(skipped);
    CHECK(std::string(skipped.attribute("message").value()) ==
          "check.needs_failed: needs \"" + without_control_bytes(fail_name) + "\", which failed");

    const auto warned = testcase_named(doc, warn_name);
    REQUIRE(warned);
    CHECK_FALSE(warned.child("failure"));
    CHECK_FALSE(warned.child("error"));
    CHECK_FALSE(warned.child("skipped"));
    const std::string out = warned.child("system-out").text().get();
    CHECK(out.rfind("warn tls.cert.expires_soon: leaf expires in 9 days\n", 0) == 0);

    const auto passed = testcase_named(doc, pass_name);
    REQUIRE(passed);
    CHECK_FALSE(passed.first_child());
  }
}

} // TEST_SUITE
