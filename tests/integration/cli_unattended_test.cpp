// An unattended job (cron, CI, a Nagios service) must never go green by
// accident: a typo in --var, a selection that picks nothing, an invalid suite
// under --format nagios, a report that could not be written, NaN.
#include "net/tcp_responder.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace edgeprobe;
using edgeprobe::test::run_edgeprobe;

namespace {

const net::ip::tcp::endpoint any_loopback{net::ip::make_address("127.0.0.1"), 0};

// Three checks of one open port; "b" needs "a", only "a" is tagged.
std::string three_checks(const tcp_responder& open) {
  const std::string target = "127.0.0.1:" + std::to_string(open.local_endpoint().port());
  return R"({"suite": "unattended", "vars": {"host": null, "port": ")" + target.substr(10) + R"("},
    "checks": [
      {"name": "a", "probe": "tcp", "target": "${host}:${port}", "tags": ["edge"]},
      {"name": "b", "probe": "tcp", "target": "${host}:${port}", "needs": ["a"]},
      {"name": "c", "probe": "tcp", "target": "${host}:${port}"}]})";
}

// An open port on loopback and the three-check suite aimed at it.
struct open_port_suite {
  test::io_thread io;
  tcp_responder open{io.executor(), any_loopback};
  test::temp_dir dir;
  std::string suite;

  open_port_suite() {
    open.start();
    suite = dir.write("s.json", three_checks(open)).string();
  }
  ~open_port_suite() { open.stop(); }
};

} // namespace

TEST_SUITE("cli") {

TEST_CASE_FIXTURE(open_port_suite, "unattended: a required variable must be given, and a --var the suite does not define is an error") {
  const auto missing = run_edgeprobe({"run", suite, "--format", "json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("/vars/host: variable \"host\" has no default and was not given") != std::string::npos);
  CHECK(missing.err.find("--var host=VALUE") != std::string::npos);

  const auto typo = run_edgeprobe({"run", suite, "--var", "host=127.0.0.1", "--var", "prot=1", "--format", "json"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err.find("a value is given for \"prot\"") != std::string::npos);
  CHECK(typo.err.find("did you mean \"port\"?") != std::string::npos);

  const auto given = run_edgeprobe({"run", suite, "--var", "host=127.0.0.1", "--format", "json"});
  INFO(given.err);
  CHECK(given.exit_code == 0);
  CHECK(nlohmann::json::parse(given.out)["summary"]["pass"] == 3);

  // Several files share the --var list: one of them defining the name is enough.
  const auto other = dir.write("other.json", R"({"suite": "other", "checks": [
    {"name": "z", "probe": "tcp", "target": "127.0.0.1:)" + std::to_string(open.local_endpoint().port()) + R"("}]})").string();
  CHECK(run_edgeprobe({"run", suite, other, "--var", "host=127.0.0.1", "--format", "json"}).exit_code == 0);
  const auto nowhere = run_edgeprobe({"validate", suite, other, "--var", "host=127.0.0.1", "--var", "hots=x"});
  CHECK(nowhere.exit_code == 2);
  CHECK(nowhere.err.find("--var hots: no suite file on the command line defines this variable") != std::string::npos);
}

TEST_CASE_FIXTURE(open_port_suite, "unattended: --only/--tags that select nothing are exit 2, unselected checks are not in the report") {
  const auto none = run_edgeprobe({"run", suite, "--var", "host=127.0.0.1", "--tags", "sip", "--format", "junit"});
  CHECK(none.exit_code == 2);
  CHECK(none.out.empty()); // no JUnit document with failures="0" for CI to read as green
  CHECK(none.err.find("--tags \"sip\" selects no check") != std::string::npos);

  const auto misspelt = run_edgeprobe({"run", suite, "--var", "host=127.0.0.1", "--only", "bb"});
  CHECK(misspelt.exit_code == 2);
  CHECK(misspelt.err.find("did you mean \"b\"?") != std::string::npos);

  const auto picked = run_edgeprobe({"run", suite, "--var", "host=127.0.0.1", "--only", "b", "--format", "json"});
  REQUIRE(picked.exit_code == 0);
  const auto doc = nlohmann::json::parse(picked.out);
  REQUIRE(doc["results"].size() == 2); // "b" and the "a" it needs; "c" is not reported at all
  CHECK(doc["results"][0]["name"] == "a");
  CHECK(doc["results"][1]["name"] == "b");
  CHECK(doc["summary"]["skip"] == 0);
}

TEST_CASE("unattended: under --format nagios, invalid input is UNKNOWN (3) with a status line, never CRITICAL") {
  test::temp_dir dir;
  const auto bad = dir.write("bad.json", R"({"suite": "x", "checks": [{"name": "a", "probe": "tcp"}]})").string();
  const auto invalid = run_edgeprobe({"run", bad, "--format", "nagios"});
  CHECK(invalid.exit_code == 3);
  CHECK(invalid.out.starts_with("EDGEPROBE UNKNOWN - the suite is invalid"));
  CHECK(invalid.err.find("/checks/0") != std::string::npos);

  const auto flag = run_edgeprobe({"run", bad, "--format", "nagios", "--no-such-flag"});
  CHECK(flag.exit_code == 3);
  CHECK(flag.out.starts_with("EDGEPROBE UNKNOWN - "));

  const auto selection = run_edgeprobe({"check", "tcp", "127.0.0.1:1", "--format", "nagios", "--expect", "nope=1"});
  CHECK(selection.exit_code == 3);
  CHECK(selection.out.starts_with("EDGEPROBE UNKNOWN - "));
  // Without nagios the convention stays 2.
  CHECK(run_edgeprobe({"run", bad, "--format", "json"}).exit_code == 2);
}

TEST_CASE("unattended: a report that cannot be written is exit 4 with a message, even when every check passed") {
  test::io_thread io;
  tcp_responder open(io.executor(), any_loopback);
  open.start();
  const std::string target = "127.0.0.1:" + std::to_string(open.local_endpoint().port());

  const auto full = test::run_process({"/bin/sh", "-c", "exec \"$0\" check tcp " + target + " --format json > /dev/full",
                                       std::string(EDGEPROBE_BINARY)});
  CHECK(full.exit_code == 4);
  CHECK(full.err.find("could not write the json report to standard output") != std::string::npos);

  const auto file = run_edgeprobe({"check", "tcp", target, "--format", "json", "--report", "junit=/nonexistent/dir/r.xml"});
  CHECK(file.exit_code == 4);
  CHECK(file.err.find("could not write the report /nonexistent/dir/r.xml") != std::string::npos);
  CHECK(nlohmann::json::parse(file.out)["status"] == "pass"); // stdout's report is still whole

  // nagios: the results were not recorded, so UNKNOWN, not WARNING.
  const auto nagios = run_edgeprobe({"check", "tcp", target, "--format", "nagios", "--report", "json=/nonexistent/r.json"});
  CHECK(nagios.exit_code == 3);
  open.stop();
}

TEST_CASE("unattended: --timeout-scale NaN is refused") {
  test::temp_dir dir;
  const auto suite = dir.write("s.json", R"({"suite": "x", "checks": [{"name": "a", "probe": "tcp", "target": "127.0.0.1:1"}]})");
  const auto r = run_edgeprobe({"run", suite.string(), "--timeout-scale", "NaN"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a finite number") != std::string::npos);
}

} // TEST_SUITE
