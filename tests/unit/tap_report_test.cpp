// The TAP report, proven by what consumes it: `prove` runs it as a test
// script's output, and Perl's TAP::Parser (the parser behind prove) reads it
// back — no parse errors, the counts, each description and SKIP explanation,
// and the YAML diagnostics decoded by its YAMLish reader.
#include "report/tap_report.hpp"

#include "support/process.hpp"
#include "support/result_builders.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace edgeprobe;
using test::make_address;
using test::make_check;

namespace {

// Names and messages as a hostile peer or a careless suite author makes them:
// '#' (a TAP directive), "# TODO", backslashes, newlines, markup, non-ASCII
// text, a control byte and a byte that is not UTF-8.
const std::string pass_name = "Zürich – 東京 answers \"TLS\" <fast> & well";
const std::string warn_name = "certificate # expires\nsoon";
const std::string fail_name = "hostile # TODO not really\\# \"x\" & <y>\x01\r\nline two";
const std::string fail_message = "banner \"<script>\" ]]>\nsecond line: a\\b \x01\xff";

run_result passing_run() {
  run_result run;
  run.suite = "contoso-edge+dmz";
  run.results.push_back(make_check(pass_name, "tls", status::pass, reason::none, ""));
  run.results.push_back(
      make_check(warn_name, "tls", status::warn, reason::tls_cert_expires_soon, "leaf expires in 9 days"));
  run.results.push_back(make_check("skipped # \"one\"", "dns", status::skip, reason::check_needs_failed,
                                   "needs \"" + fail_name + "\", which failed"));
  return run;
}

// pass, warn, skip (above), then fail (two addresses) and error.
run_result hostile_run() {
  auto run = passing_run();
  auto failed = make_check(fail_name, "tcp", status::fail, reason::tcp_refused, fail_message);
  failed.addresses.push_back(make_address("192.0.2.10", status::fail, reason::tcp_refused, "refused after 0.3 ms"));
  failed.addresses.push_back(make_address("2001:db8::10", status::fail, reason::tcp_timeout, "3 SYNs unanswered"));
  run.results.push_back(failed);
  run.results.push_back(
      make_check("internal & <error>", "http", status::error, reason::internal_error, "option \"x\" unknown"));
  return run;
}

std::string tap_of(const run_result& run) {
  std::ostringstream out;
  write_tap_report(run, out, {});
  return out.str();
}

test::process_output prove(const run_result& run) {
  test::temp_dir dir;
  const auto file = dir.write("report.tap", tap_of(run));
  // --exec cat: the "test program" is `cat report.tap`, so prove parses the
  // report exactly as if a test script had printed it.
  return test::run_process({"prove", "--verbose", "--exec", "cat", file.string()});
}

// Reads TAP with TAP::Parser and prints what it understood as JSON: each test
// (ok, description, directive, explanation, its YAML block decoded), the
// counts and the parse errors.
constexpr const char* tap_parser_script = R"perl(
use strict;
use warnings;
use JSON::PP;
use TAP::Parser;

my $tap = do { local $/; open my $fh, '<', $ARGV[0] or die "$ARGV[0]: $!"; <$fh> };
my $parser = TAP::Parser->new({ tap => $tap });
my @tests;
while (my $result = $parser->next) {
  if ($result->is_test) {
    push @tests, { ok => $result->is_ok ? JSON::PP::true : JSON::PP::false,
                   number => $result->number, description => $result->description,
                   directive => $result->directive, explanation => $result->explanation,
                   yaml => undef };
  } elsif ($result->is_yaml && @tests) {
    $tests[-1]{yaml} = $result->data;
  }
}
print JSON::PP->new->canonical->encode({
  version => $parser->version, tests_planned => $parser->tests_planned, tests => \@tests,
  passed => scalar $parser->passed, failed => scalar $parser->failed,
  skipped => scalar $parser->skipped, parse_errors => [ $parser->parse_errors ] });
)perl";

nlohmann::json parse_with_tap_parser(const std::string& tap) {
  test::temp_dir dir;
  const auto script = dir.write("parse.pl", tap_parser_script);
  const auto file = dir.write("report.tap", tap);
  const auto result = test::run_process({"perl", script.string(), file.string()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return nlohmann::json::parse(result.out);
}

// A description as TAP::Parser hands it over ("- " and TAP 13's escapes
// still in), turned back into the text it stands for.
std::string unescaped_description(std::string description) {
  if (description.rfind("- ", 0) == 0) description.erase(0, 2);
  std::string out;
  for (std::size_t i = 0; i < description.size(); ++i) {
    if (description[i] == '\\' && i + 1 < description.size()) ++i;
    out += description[i];
  }
  return out;
}

// What a name becomes on a one-line test line: control byte dropped, CR and
// LF as spaces.
std::string on_one_line(std::string text) {
  std::erase(text, '\x01');
  for (auto& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("tap_line_text escapes '#' and '\\', puts newlines on one line, drops control bytes") {
  CHECK(tap_line_text("a#b\\c\nd\re\x01" "f") == "a\\#b\\\\c d e" "f");
  CHECK(tap_line_text("# TODO later") == "\\# TODO later");
  CHECK(tap_line_text("Zürich – 東京") == "Zürich – 東京");
  CHECK(tap_line_text("\xff") == "\xEF\xBF\xBD");
}

TEST_CASE("the TAP report has the TAP 13 header, plan and test lines") {
  const auto tap = tap_of(hostile_run());
  CHECK(tap.rfind("TAP version 13\n1..5\nok 1 - Zürich", 0) == 0);
  CHECK(tap.find("\nok 3 - skipped \\# \"one\" # SKIP check.needs_failed: needs ") != std::string::npos);
  CHECK(tap.find("\nnot ok 4 - hostile \\# TODO not really\\\\\\# ") != std::string::npos);
  CHECK(tap.find("\nnot ok 5 - internal & <error>\n") != std::string::npos);
  CHECK(tap.find('\x01') == std::string::npos);
}

TEST_CASE("prove accepts the hostile run's TAP and counts two failures") {
  const auto result = prove(hostile_run());
  INFO(result.out);
  INFO(result.err);
  CHECK(result.exit_code == 1); // prove's verdict on failed tests, not a crash
  CHECK(result.out.find("Failed 2/5 subtests") != std::string::npos);
  CHECK(result.out.find("Failed tests:  4-5") != std::string::npos);
  CHECK(result.out.find("Parse errors") == std::string::npos);
  CHECK(result.err.find("Parse errors") == std::string::npos);
}

TEST_CASE("prove passes a run of pass, warn and skip") {
  const auto result = prove(passing_run());
  INFO(result.out);
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("All tests successful.") != std::string::npos);
  CHECK(result.out.find("Files=1, Tests=3,") != std::string::npos);
}

TEST_CASE("TAP::Parser reads the hostile run: no parse errors, counts, names, YAML diagnostics") {
  const auto run = hostile_run();
  const auto parsed = parse_with_tap_parser(tap_of(run));
  INFO(parsed.dump(2));

  CHECK(parsed["parse_errors"] == nlohmann::json::array());
  CHECK(parsed["version"] == 13);
  CHECK(parsed["tests_planned"] == 5);
  CHECK(parsed["passed"] == 3); // pass, warn and skip are all "ok"
  CHECK(parsed["failed"] == 2);
  CHECK(parsed["skipped"] == 1);

  const auto& tests = parsed["tests"];
  REQUIRE(tests.size() == run.results.size());
  for (std::size_t i = 0; i < tests.size(); ++i) {
    CHECK(tests[i]["number"] == i + 1);
    CHECK(unescaped_description(tests[i]["description"]) == on_one_line(run.results[i].name));
  }

  SUBCASE("a plain pass has no diagnostics") { CHECK(tests[0]["yaml"].is_null()); }

  SUBCASE("the warning is ok, its YAML says why") {
    CHECK(tests[1]["ok"] == true);
    CHECK(tests[1]["directive"] == "");
    CHECK(tests[1]["yaml"]["status"] == "warn");
    CHECK(tests[1]["yaml"]["reason"] == "tls.cert.expires_soon");
  }

  SUBCASE("the skip is a SKIP directive with the reason") {
    CHECK(tests[2]["directive"] == "SKIP");
    CHECK(unescaped_description("- " + tests[2]["explanation"].get<std::string>()) ==
          "check.needs_failed: needs \"" + on_one_line(fail_name) + "\", which failed");
    CHECK(tests[2]["yaml"]["status"] == "skip");
  }

  SUBCASE("the failure's YAML carries status, reason, message, hint, target, time and addresses") {
    // "# TODO" inside the escaped name must not have become a directive.
    CHECK(tests[3]["ok"] == false);
    CHECK(tests[3]["directive"] == "");
    const auto& yaml = tests[3]["yaml"];
    CHECK(yaml["status"] == "fail");
    CHECK(yaml["reason"] == "tcp.refused");
    // Newlines, quotes and backslashes survive the YAML round trip; the control
    // byte is dropped and the stray byte became U+FFFD.
    CHECK(yaml["message"] == "banner \"<script>\" ]]>\nsecond line: a\\b \xEF\xBF\xBD");
    CHECK(yaml["hint"] == std::string(hint(reason::tcp_refused)));
    CHECK(yaml["probe"] == "tcp");
    CHECK(yaml["target"] == "sip.contoso.com:5061");
    CHECK(yaml["duration_ms"] == "54.2"); // YAMLish gives every scalar back as a string
    CHECK(yaml["attempts"] == "1");
    REQUIRE(yaml["addresses"].size() == 2);
    CHECK(yaml["addresses"][0]["address"] == "192.0.2.10");
    CHECK(yaml["addresses"][0]["reason"] == "tcp.refused");
    CHECK(yaml["addresses"][1]["address"] == "2001:db8::10");
    CHECK(yaml["addresses"][1]["port"] == "5061");
    CHECK(yaml["addresses"][1]["reason"] == "tcp.timeout");
    CHECK(yaml["addresses"][1]["message"] == "3 SYNs unanswered");
  }

  SUBCASE("the error is not ok, with its reason") {
    CHECK(tests[4]["ok"] == false);
    CHECK(tests[4]["yaml"]["status"] == "error");
    CHECK(tests[4]["yaml"]["reason"] == "internal.error");
  }
}

} // TEST_SUITE
