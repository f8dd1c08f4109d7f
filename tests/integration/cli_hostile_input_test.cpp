// Hostile input to the binary's loaders, end to end: a suite, a serve config or
// a --set value nested 100,000 levels deep; FIFOs where files belong; bytes
// after the document; and validate's peak memory against the size of its input.
#include "support/process.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <csignal>

using namespace edgeprobe;

namespace {

// 100,000 levels of {"a": ...}: 600 KB, the attack as reported.
std::string deep_objects(std::size_t depth) {
  std::string text;
  text.reserve(depth * 6 + 1);
  for (std::size_t i = 0; i < depth; ++i) text += "{\"a\":";
  text += '1';
  text.append(depth, '}');
  return text;
}

std::filesystem::path make_fifo(const test::temp_dir& dir, const std::string& name) {
  const auto path = dir.path() / name;
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path;
}

constexpr auto quickly = std::chrono::seconds(20); // a hang is killed after this and fails the exit code check

} // namespace

TEST_SUITE("cli") {

TEST_CASE("cli: validate and run of a suite 100,000 levels deep exit 2 with the depth error, in < 64 MB, no signal") {
  test::temp_dir dir;
  const auto file = dir.write("deep.json", deep_objects(100000));
  for (const char* command : {"validate", "run"}) {
    CAPTURE(command);
    const auto r = test::run_edgeprobe_measured({command, file.string()}, quickly);
    CHECK(r.exit_code == 2); // SIGSEGV (139) before
    CHECK_MESSAGE(r.err.find("deep.json:1:161: /: nested deeper than 32 levels") != std::string::npos, r.err);
    CHECK(r.peak_rss_kib > 0);
    CHECK(r.peak_rss_kib < 64 * 1024);
  }
}

TEST_CASE("cli: serve --check of a config 100,000 levels deep exits 2 with the depth error") {
  test::temp_dir dir;
  const auto config = dir.write("serve.json", "{\"suites\": " + deep_objects(100000) + "}");
  const auto r = test::run_edgeprobe({"serve", "--config", config.string(), "--check"}, quickly);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(r.err.find("serve.json:1:") != std::string::npos, r.err);
  CHECK(r.err.find("nested deeper than 32 levels") != std::string::npos);
}

TEST_CASE("cli: serve: SIGHUP with a config 100,000 levels deep is refused and the server goes on") {
  test::open_loopback_port open;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", open.port()));
  const auto config = dir.write("serve.json", test::serve_config("edge.json"));
  test::serve_process serve(config);
  dir.write("serve.json", "{\"listen\": \"127.0.0.1:0\", \"suites\": " + deep_objects(100000) + "}");
  serve.process().signal(SIGHUP);
  const auto refusal = serve.process().read_until("nested deeper than 32 levels");
  CHECK(refusal.find("reload refused") != std::string::npos);
  CHECK(test::curl_get(serve.url() + "/healthz").status == 200);
  CHECK(serve.process().stop(SIGTERM) == 0); // it died of SIGSEGV on the reload before
}

TEST_CASE("cli: check --set and --expect with a value 20,000 levels deep exit 2 and say so") {
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  const auto set = test::run_edgeprobe_measured({"check", "tcp", "127.0.0.1:1", "--set", "send=" + deep}, quickly);
  CHECK(set.exit_code == 2);
  CHECK_MESSAGE(set.err.find("--set send: the value is nested deeper than 32 levels (at byte 33)") != std::string::npos,
                set.err);
  CHECK(set.peak_rss_kib < 64 * 1024); // 2.66 GB before
  const auto expect = test::run_edgeprobe({"check", "tcp", "127.0.0.1:1", "--expect", "status=" + deep}, quickly);
  CHECK(expect.exit_code == 2);
  CHECK(expect.err.find("--expect status: the value is nested deeper than 32 levels") != std::string::npos);
  // Not JSON at all is still a string, as before.
  const auto text = test::run_edgeprobe({"check", "tcp", "127.0.0.1:1", "--set", "send=[[not json"}, quickly);
  CHECK(text.err.find("nested deeper") == std::string::npos);
}

TEST_CASE("cli: a FIFO as the suite, an include, a ${file:} or the serve config: exit 2 at once, naming it") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir, "pipe.json");
  const auto suite = test::run_edgeprobe({"validate", fifo.string()}, quickly);
  CHECK(suite.exit_code == 2); // it waited for a writer for ever before
  CHECK_MESSAGE(suite.err.find("cannot read the suite: it is a FIFO, not a regular file") != std::string::npos, suite.err);

  const auto includer = dir.write("includer.json", R"({"suite": "s", "include": ["pipe.json"], "checks": []})");
  const auto include = test::run_edgeprobe({"run", includer.string()}, quickly);
  CHECK(include.exit_code == 2);
  CHECK_MESSAGE(include.err.find("includer.json:1:28: /include/0: cannot read \"" + fifo.string() +
                                 "\": it is a FIFO, not a regular file") != std::string::npos,
                include.err);

  const auto secret = dir.write("secret.json", R"({"suite": "s", "checks": [{"name": "c", "probe": "tcp",
    "target": "127.0.0.1:1", "send": {"text": "${file:pipe.json}"}}]})");
  const auto file_ref = test::run_edgeprobe({"validate", secret.string()}, quickly);
  CHECK(file_ref.exit_code == 2);
  CHECK_MESSAGE(file_ref.err.find("cannot read file \"pipe.json\": it is a FIFO, not a regular file") != std::string::npos,
                file_ref.err);

  const auto serve = test::run_edgeprobe({"serve", "--config", fifo.string(), "--check"}, quickly);
  CHECK(serve.exit_code == 2);
  CHECK_MESSAGE(serve.err.find("cannot read the serve config: it is a FIFO, not a regular file") != std::string::npos,
                serve.err);
}

TEST_CASE("cli: validate of a suite with a NUL byte or text after its document exits 2 at that position") {
  test::temp_dir dir;
  const auto nul = dir.write("nul.json", std::string("{\"suite\": \"s\",\n \"checks\": []}\0garbage", 37));
  const auto r = test::run_edgeprobe({"validate", nul.string()}, quickly);
  CHECK(r.exit_code == 2); // it validated before
  CHECK_MESSAGE(r.err.find("nul.json:2:15: /: invalid JSON: a NUL byte") != std::string::npos, r.err);
  const auto trailing = dir.write("trailing.json", "{\"suite\": \"s\",\n \"checks\": []} garbage");
  const auto t = test::run_edgeprobe({"validate", trailing.string()}, quickly);
  CHECK(t.exit_code == 2);
  CHECK_MESSAGE(t.err.find("trailing.json:2:16: /: invalid JSON: syntax error") != std::string::npos, t.err);
  CHECK(t.err.find("expected end of input") != std::string::npos);
}

TEST_CASE("cli: validate's peak memory is at most baseline + 64 x the suite's size, whatever its shape") {
  // 64: the worst shape measured (2026-12-07) took 44 times its size above the
  // baseline, at 4 MiB and at 8 MiB: a list of lists 30 deep where checks belong,
  // a mistake each (nlohmann's DOM spends about 80 bytes on every "[]", and the
  // positions of the mistakes need the locator's index). docs/suite-format.md
  // has the table.
  constexpr long multiple = 64;
  constexpr std::size_t size = std::size_t{4} << 20;
  const std::string head = "{\"suite\": \"s\", \"checks\": [], \"description\": ";
  auto list_of = [&](const std::string& item) {
    std::string text = head + "[";
    while (text.size() < size) text += item + ",";
    text.back() = ']';
    return text + "}";
  };
  std::string keys = head + "{";
  for (std::size_t i = 0; keys.size() < size; ++i) keys += "\"k" + std::to_string(i) + "\":1,";
  keys.back() = '}';
  keys += "}";
  std::string checks = "{\"suite\": \"s\", \"checks\": [\n";
  for (std::size_t i = 0; checks.size() < size; ++i)
    checks += "{\"name\": \"c" + std::to_string(i) + "\", \"probe\": \"tcp\", \"target\": \"127.0.0.1:" +
              std::to_string(1 + i % 60000) + "\"},\n";
  checks.resize(checks.size() - 2);
  checks += "]}";
  const struct {
    const char* name;
    std::string text;
    int exit_code;
  } shapes[] = {
      {"deep", list_of(std::string(30, '[') + "1" + std::string(30, ']')), 2},
      {"numbers", list_of("1"), 2},
      {"keys", keys, 2},
      {"string", head + "\"" + std::string(size, 'x') + "\"}", 0},
      {"checks", checks, 0},
      // A mistake for every check: positions from the locator's index.
      {"mistakes", "{\"suite\": \"s\", \"checks\": " + list_of(std::string(30, '[') + "1" + std::string(30, ']')).substr(head.size()), 2},
  };
  test::temp_dir dir;
  const auto tiny = dir.write("tiny.json", R"({"suite": "s", "checks": [{"name": "c", "probe": "tcp", "target": "127.0.0.1:1"}]})");
  const auto baseline = test::run_edgeprobe_measured({"validate", tiny.string()});
  REQUIRE(baseline.exit_code == 0);
  for (const auto& shape : shapes) {
    CAPTURE(shape.name);
    const auto file = dir.write(std::string(shape.name) + ".json", shape.text);
    const auto r = test::run_edgeprobe_measured({"validate", file.string()});
    CHECK_MESSAGE(r.exit_code == shape.exit_code, r.err.substr(0, 500));
    const long kib = static_cast<long>(shape.text.size() / 1024);
    MESSAGE(std::string(shape.name) << ": " << kib << " KiB, peak " << r.peak_rss_kib << " KiB, "
                       << (r.peak_rss_kib - baseline.peak_rss_kib) / kib << " x its size above the baseline");
    CHECK(r.peak_rss_kib <= baseline.peak_rss_kib + multiple * kib);
  }
}

} // TEST_SUITE
