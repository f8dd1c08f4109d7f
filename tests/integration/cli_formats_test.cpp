// The output formats from the binary, as monitoring and CI run it: --format
// nagios exit codes 0/1/2/3 each produced by a real check, and one run writing
// several --report files, each accepted by the program that consumes it
// (xmllint with the JUnit schema, promtool, prove, headless Chromium).
#include "net/tcp_responder.hpp"
#include "probes/rpc_epm/dcerpc.hpp"
#include "probes/rpc_epm/responder.hpp"
#include "support/chromium.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

const net::ip::tcp::endpoint any_loopback{net::ip::make_address("127.0.0.1"), 0};

std::string at(const tcp_responder& r) { return "127.0.0.1:" + std::to_string(r.local_endpoint().port()); }

} // namespace

TEST_SUITE("cli") {

TEST_CASE("--format nagios: OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3, each from a real check") {
  test::io_thread io;
  tcp_responder open(io.executor(), any_loopback);
  open.start();
  const auto ok = test::run_edgeprobe({"check", "tcp", at(open), "--format", "nagios"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.starts_with("EDGEPROBE OK - "));

  // An endpoint mapper whose towers name another address: epm.address_mismatch is a warning.
  tcp_responder service(io.executor(), any_loopback);
  service.start();
  tcp_responder epm(io.executor(), any_loopback,
                    epm_responder_tcp_options({{{dcerpc::find_interface("samr")->id, service.local_endpoint().port(), "samr"}},
                                               "10.1.2.3"}));
  epm.start();
  const auto warning = test::run_edgeprobe({"check", "rpc-epm", at(epm), "--set", "interface=samr", "--format", "nagios"});
  INFO(warning.out);
  CHECK(warning.exit_code == 1);
  CHECK(warning.out.starts_with("EDGEPROBE WARNING - "));

  const auto critical = test::run_edgeprobe(
      {"check", "tcp", "127.0.0.1:" + std::to_string(test::free_loopback_port()), "--format", "nagios"});
  CHECK(critical.exit_code == 2);
  CHECK(critical.out.starts_with("EDGEPROBE CRITICAL - "));
  CHECK(critical.out.find("tcp.refused") != std::string::npos);

  // This host cannot even try: a source address it does not have.
  const auto unknown = test::run_edgeprobe(
      {"check", "tcp", at(open), "--set", "source_address=192.0.2.1", "--format", "nagios"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.out.starts_with("EDGEPROBE UNKNOWN - "));
  for (auto* r : {&open, &service, &epm}) r->stop();
}

TEST_CASE("one run, several --report files: JUnit validates, promtool accepts, prove parses, JSON parses, "
          "HTML renders in Chromium with a silent console") {
  test::io_thread io;
  tcp_responder open(io.executor(), any_loopback);
  open.start();
  test::temp_dir dir;
  const auto suite = dir.write("s.json", R"({"suite": "formats", "checks": [
    {"name": "open port", "probe": "tcp", "target": ")" + at(open) + R"("},
    {"name": "closed \"port\" <1>", "probe": "tcp", "target": "127.0.0.1:)" +
                                             std::to_string(test::free_loopback_port()) + R"("}]})");
  const auto file = [&](const char* name) { return (dir.path() / name).string(); };
  const auto r = test::run_edgeprobe({"run", suite.string(), "--format", "human", "--report", "junit=" + file("a.xml"),
                                      "--report", "json=" + file("b.json"), "--report", "prometheus=" + file("d.prom"),
                                      "--report", "tap=" + file("e.tap"), "--report", "html=" + file("c.html")});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL") != std::string::npos);

  const auto junit = test::run_process(
      {"xmllint", "--noout", "--schema", std::string(EDGEPROBE_SOURCE_DIR) + "/tests/data/junit/junit.xsd", file("a.xml")});
  CHECK_MESSAGE(junit.exit_code == 0, junit.err);
  const auto prom = test::run_process({"sh", "-c", "promtool check metrics < " + file("d.prom")});
  INFO(prom.out, prom.err);
  CHECK(prom.exit_code == 0);
  CHECK((prom.out + prom.err).empty());
  const auto tap = test::run_process({"prove", "--exec", "cat", file("e.tap")});
  CHECK(tap.exit_code == 1); // one check failed: prove says so, and nothing else is wrong
  CHECK(tap.out.find("Failed 1/2 subtests") != std::string::npos);
  CHECK(tap.out.find("Parse errors") == std::string::npos);
  const auto json = test::run_process({"python3", "-c", "import json,sys; d=json.load(open(sys.argv[1])); "
                                                        "print(d['summary']['fail'], d['summary']['pass'])",
                                       file("b.json")});
  CHECK(json.out == "1 1\n");
  open.stop();

  REQUIRE_MESSAGE(!test::chromium_path().empty(), test::chromium_missing);
  const auto html = test::render_screenshot(file("c.html"), file("c.png"));
  INFO("chromium's stderr:\n", html.err);
  CHECK(html.exit_code == 0);
  CHECK_MESSAGE(html.console.empty(), "console messages:\n" << html.console_text());
  const auto png = test::read_png(file("c.png"));
  CHECK_MESSAGE(png.error.empty(), png.error);
  CHECK(png.width == 1280);
  CHECK(png.height == 1600);
  CHECK(png.non_white_share() > 0.25); // not blank: html_chromium_test.cpp looks closer
}

} // TEST_SUITE
