// The command line end to end, as a user types it: the binary, its stdout,
// stderr and exit code.
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "net/tcp_responder.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>

using edgeprobe::test::run_edgeprobe;

TEST_SUITE("cli") {

TEST_CASE("check tcp 127.0.0.1:1 --format json: one fail result with tcp.refused, exit 1") {
  const auto r = run_edgeprobe({"check", "tcp", "127.0.0.1:1", "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["results"].size() == 1);
  CHECK(doc["results"][0]["status"] == "fail");
  CHECK(doc["results"][0]["reason"] == "tcp.refused");
  CHECK(doc["results"][0]["addresses"][0]["address"] == "127.0.0.1");
  CHECK(doc["status"] == "fail");
}

TEST_CASE("check --expect inverts the question: a closed port that must be closed passes, exit 0") {
  const auto r = run_edgeprobe({"check", "tcp", "127.0.0.1:1", "--expect", "state=not_open", "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["results"][0]["status"] == "pass");
}

TEST_CASE("a suite with three mistakes: all three reported with file, pointer and position, exit 2") {
  edgeprobe::test::temp_dir dir;
  const auto file = dir.write("broken.json", R"({
  "suite": "broken",
  "checks": [
    {"name": "a", "probe": "tcp", "target": "127.0.0.1:443", "timeout": 5},
    {"name": "b", "probe": "tpc", "target": "127.0.0.1:443"},
    {"name": "c", "probe": "tcp", "target": "127.0.0.1:443", "expect": {"stat": "open"}}
  ]
})");
  for (const char* command : {"run", "validate"}) {
    CAPTURE(command);
    const auto r = run_edgeprobe({command, file.string()});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("broken.json:4:") != std::string::npos);
    CHECK(r.err.find("/checks/0/timeout") != std::string::npos);
    CHECK(r.err.find("/checks/1/probe") != std::string::npos);
    CHECK(r.err.find("did you mean \"tcp\"") != std::string::npos);
    CHECK(r.err.find("/checks/2/expect/stat") != std::string::npos);
    CHECK(r.err.find("did you mean \"state\"") != std::string::npos);
  }
}

TEST_CASE("a secret from ${env:} appears in no output: stdout, stderr, report files, errors") {
  const std::string secret = "hunter2-Zq8v-never-print-me";
  ::setenv("EDGEPROBE_TEST_TOKEN", secret.c_str(), 1);
  edgeprobe::test::io_thread io;
  // The responder echoes what it gets, so the secret comes back in the evidence
  // (the received bytes): the redaction must catch it there too.
  edgeprobe::tcp_responder echo(io.executor(), {boost::asio::ip::make_address("127.0.0.1"), 0});
  echo.start();
  const auto port = std::to_string(echo.local_endpoint().port());
  edgeprobe::test::temp_dir dir;
  const auto suite = dir.write("secret.json", R"({
  "suite": "secret",
  "vars": {"token": "${env:EDGEPROBE_TEST_TOKEN}"},
  "checks": [
    {"name": "login ${token}", "probe": "tcp", "target": "127.0.0.1:)" + port + R"(",
     "send": {"text": "AUTH ${token}\r\n"}, "expect": {"banner": "AUTH"}},
    {"name": "wrong", "probe": "tcp", "target": "127.0.0.1:1", "send": {"text": "${token}"}}
  ]
})");
  const auto report = dir.path() / "report.json";
  for (const char* format : {"json", "human"}) {
    CAPTURE(format);
    const auto r = run_edgeprobe({"run", suite.string(), "--format", format, "-v", "--report",
                                  std::string("json=") + report.string()});
    CHECK(r.exit_code == 1); // the second check fails: the report is complete
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
    CHECK(r.out.find("***") != std::string::npos); // it was there, and was masked
    std::ifstream in(report);
    const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(written.find(secret) == std::string::npos);
    CHECK(nlohmann::json::parse(written)["results"].size() == 2);
  }
  // A secret in a value the loader rejects is not quoted in the error either.
  const auto bad = dir.write("bad.json", R"({"suite": "bad", "checks": [
    {"name": "x", "probe": "tcp", "target": "127.0.0.1:1", "retries": "${env:EDGEPROBE_TEST_TOKEN}"}]})");
  const auto r = run_edgeprobe({"validate", bad.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/checks/0/retries") != std::string::npos);
  CHECK(r.err.find(secret) == std::string::npos);
  ::unsetenv("EDGEPROBE_TEST_TOKEN");
}

TEST_CASE("validate accepts the shipped suites, --version and schema answer") {
  const std::string suites = std::string(EDGEPROBE_SOURCE_DIR) + "/suites/";
  const auto valid = run_edgeprobe({"validate", suites + "demo.json"});
  INFO(valid.err);
  CHECK(valid.exit_code == 0);
  const auto version = run_edgeprobe({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find(EDGEPROBE_VERSION) != std::string::npos);
  const auto schema = run_edgeprobe({"schema"});
  CHECK(schema.exit_code == 0);
  CHECK(nlohmann::json::parse(schema.out).contains("$schema"));
}

TEST_CASE("a bad command line is exit 2 with a message, not a crash") {
  const auto r = run_edgeprobe({"check", "tcp"});
  CHECK(r.exit_code == 2);
  CHECK(!r.err.empty());
  const auto unknown = run_edgeprobe({"check", "nosuchprobe", "x:1"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("nosuchprobe") != std::string::npos);
}

} // TEST_SUITE

TEST_CASE("Ctrl-C: the check in flight and the checks not started are reported as check.cancelled") {
  boost::asio::io_context io;
  // A listener that never accepts: the kernel completes the handshake, and the
  // probe holds the connection open until it is interrupted.
  boost::asio::ip::tcp::acceptor listener(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(listener.local_endpoint().port());
  edgeprobe::test::temp_dir dir;
  const auto suite = dir.write("held.json", R"({"suite": "held", "checks": [
    {"name": "held", "probe": "tcp", "target": "127.0.0.1:)" + port + R"(", "hold": "60s", "timeout": "90s"},
    {"name": "after", "probe": "tcp", "target": "127.0.0.1:)" + port + R"(", "needs": ["held"]}]})");
  edgeprobe::test::background_process run({EDGEPROBE_BINARY, "run", suite.string(), "--format", "json"});
  auto held = listener.accept(); // the probe is connected: the first check is in flight

  // stop() waits 10 s before SIGKILL: an exit code of its own means a prompt stop,
  // long before the 60 s hold would have ended.
  const int exit_code = run.stop(SIGINT);
  const auto doc = nlohmann::json::parse(run.rest());
  CHECK(exit_code == 1);
  REQUIRE(doc["results"].size() == 2);
  for (const auto& r : doc["results"]) {
    CAPTURE(r.dump());
    CHECK(r["reason"] == "check.cancelled");
  }
  CHECK(doc["results"][0]["status"] == "error");
}
