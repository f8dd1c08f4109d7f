// serve's config: what it accepts, and each mistake's file, pointer, position
// and suggestion. Its suites load with the suite loader, so their mistakes come
// through with their own files.
#include "probes/tcp/options.hpp"
#include "serve/serve_config.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

const char* two_tcp_checks = R"({"suite": "edge", "checks": [
  {"name": "open", "probe": "tcp", "target": "127.0.0.1:9"},
  {"name": "fin kept", "probe": "tcp", "target": "127.0.0.1:9", "close": "fin"},
  {"name": "dns", "probe": "dns", "target": "example.com"}]})";

serve_load_result load(const test::temp_dir& dir, const std::string& text) {
  const auto file = dir.write("serve.json", text);
  return load_serve_config(file);
}

std::string all(const std::vector<diagnostic>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

const diagnostic* at_pointer(const std::vector<diagnostic>& errors, const std::string& pointer) {
  for (const auto& e : errors)
    if (e.pointer == pointer) return &e;
  return nullptr;
}

} // namespace

TEST_SUITE("serve") {

TEST_CASE("a full config: listen, auth, limits, close, suites with intervals, jitter, vars") {
  test::temp_dir dir;
  dir.write("edge.json", R"({"suite": "edge", "vars": {"port": "9"}, "checks": [
    {"name": "open", "probe": "tcp", "target": "127.0.0.1:${port}"}]})");
  const auto r = load(dir, R"({
    // comments are allowed, as in suites
    "listen": "[::1]:9555",
    "auth": {"basic": [{"username": "prom", "password_hash": "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"}]},
    "limits": {"max_request_bytes": 4096, "requests_per_second": 2.5, "burst": 5, "max_connections": 8},
    "concurrency": 16,
    "suites": [
      {"file": "edge.json", "interval": "30s", "jitter": "5s", "vars": {"port": "10"}},
      {"name": "edge-2", "file": "edge.json", "interval": "1m", "timeout_scale": 2}
    ]})");
  INFO(all(r.errors));
  REQUIRE(r.config);
  const auto& c = *r.config;
  CHECK(c.listen.address().to_string() == "::1");
  CHECK(c.listen.port() == 9555);
  REQUIRE(c.users.size() == 1);
  CHECK(c.users[0].username == "prom");
  CHECK(c.limits.max_request_bytes == 4096);
  CHECK(c.limits.requests_per_second == 2.5);
  CHECK(c.limits.max_connections == 8);
  CHECK(c.concurrency == 16);
  CHECK_FALSE(c.close_rst);
  REQUIRE(c.suites.size() == 2);
  CHECK(c.suites[0].name == "edge"); // the suite's own name when the config gives none
  CHECK(c.suites[0].interval == std::chrono::seconds(30));
  CHECK(c.suites[0].jitter == std::chrono::seconds(5));
  CHECK(c.suites[0].loaded->checks[0].target.port == 10); // the config's vars override the suite's
  CHECK(c.suites[1].name == "edge-2");
  CHECK(c.suites[1].loaded->checks[0].target.port == 9);
  CHECK(c.suites[1].timeout_scale == 2);
  CHECK(c.find_suite("edge-2") == &c.suites[1]);
  CHECK_FALSE(c.find_suite("nope"));
}

TEST_CASE("defaults: 127.0.0.1:9443, no auth, and the documented limits") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  const auto r = load(dir, R"({"suites": [{"file": "edge.json", "interval": "1m"}]})");
  REQUIRE(r.config);
  CHECK(r.config->listen.address().to_string() == "127.0.0.1");
  CHECK(r.config->listen.port() == 9443);
  CHECK(r.config->users.empty());
  CHECK_FALSE(r.config->tls);
  CHECK(r.config->limits.max_request_bytes == 8192);
  CHECK(r.config->suites[0].jitter == duration::zero());
  CHECK(r.config->limits.max_connections_per_address == 16); // a quarter of 64
  CHECK(r.config->limits.request_head_timeout == std::chrono::seconds(5));
  CHECK(r.config->reload_timeout == std::chrono::seconds(10));
}

TEST_CASE("serve limits against one client: connections per address (a quarter by default), the request head deadline") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  const auto quarter = load(dir, R"({"limits": {"max_connections": 16}, "suites": [{"file": "edge.json", "interval": "1m"}]})");
  REQUIRE(quarter.config);
  CHECK(quarter.config->limits.max_connections_per_address == 4);
  const auto one = load(dir, R"({"limits": {"max_connections": 2}, "suites": [{"file": "edge.json", "interval": "1m"}]})");
  REQUIRE(one.config);
  CHECK(one.config->limits.max_connections_per_address == 1);
  const auto set = load(dir, R"({"reload_timeout": "2s",
    "limits": {"max_connections": 16, "max_connections_per_address": 2, "request_head_timeout": "750ms"},
    "suites": [{"file": "edge.json", "interval": "1m"}]})");
  INFO(all(set.errors));
  REQUIRE(set.config);
  CHECK(set.config->limits.max_connections_per_address == 2);
  CHECK(set.config->limits.request_head_timeout == std::chrono::milliseconds(750));
  CHECK(set.config->reload_timeout == std::chrono::seconds(2));
  const auto wrong = load(dir, R"({"reload_timeout": "1h",
    "limits": {"max_connections": 8, "max_connections_per_address": 9, "request_head_timeout": "10ms"},
    "suites": [{"file": "edge.json", "interval": "1m"}]})");
  CHECK_FALSE(wrong.config);
  INFO(all(wrong.errors));
  CHECK(at_pointer(wrong.errors, "/limits/max_connections_per_address"));
  CHECK(at_pointer(wrong.errors, "/limits/request_head_timeout"));
  CHECK(at_pointer(wrong.errors, "/reload_timeout"));
}

TEST_CASE("serve: a password hash above the cost limit is refused at its pointer, with the maximum") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  const auto r = load(dir, R"({"auth": {"basic": [
    {"username": "ok", "password_hash": "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"},
    {"username": "slow", "password_hash": "$2b$15$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH."}]},
    "suites": [{"file": "edge.json", "interval": "1m"}]})");
  CHECK_FALSE(r.config);
  const auto* slow = at_pointer(r.errors, "/auth/basic/1/password_hash");
  REQUIRE(slow);
  CHECK(slow->message.find("maximum of 14") != std::string::npos);
  CHECK_FALSE(at_pointer(r.errors, "/auth/basic/0/password_hash"));
}

TEST_CASE("close: rst becomes the close of every tcp check that does not choose its own") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  const auto r = load(dir, R"({"close": "rst", "suites": [{"file": "edge.json", "interval": "1m"}]})");
  INFO(all(r.errors));
  REQUIRE(r.config);
  const auto& checks = r.config->suites[0].loaded->checks;
  CHECK(static_cast<const tcp_config&>(*checks[0].config).close == close_mode::rst);
  CHECK(static_cast<const tcp_config&>(*checks[1].config).close == close_mode::fin);
  CHECK_FALSE(checks[2].options.contains("close")); // the dns probe has no such option

  const auto without = load(dir, R"({"suites": [{"file": "edge.json", "interval": "1m"}]})");
  REQUIRE(without.config);
  CHECK(static_cast<const tcp_config&>(*without.config->suites[0].loaded->checks[0].config).close == close_mode::fin);
}

TEST_CASE("mistakes: every one reported with pointer, line and column, and a suggestion where one helps") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  const auto r = load(dir, R"({
  "listen": "localhost:9443",
  "lisen": 1,
  "close": "reset",
  "auth": {"basic": [{"username": "a:b", "password_hash": "plain-text"}]},
  "limits": {"burst": 0, "max_request_bytes": 10},
  "suites": [
    {"file": "edge.json", "interval": "10ms"},
    {"file": "edge.json", "interval": "1m", "jitter": "2m", "every": "1m"},
    {"file": "missing.json", "interval": "1m"},
    {"name": "bad name!", "file": "edge.json", "interval": "1m"},
    {"file": "edge.json"}
  ]})");
  CHECK_FALSE(r.config);
  const std::string text = all(r.errors);
  INFO(text);
  const auto* listen = at_pointer(r.errors, "/listen");
  REQUIRE(listen);
  CHECK(listen->line == 2);
  CHECK(listen->column == 13);
  CHECK(listen->suggestion.find("127.0.0.1:9443") != std::string::npos);
  const auto* typo = at_pointer(r.errors, "/lisen");
  REQUIRE(typo);
  CHECK(typo->suggestion == "did you mean \"listen\"?");
  CHECK(typo->line == 3);
  CHECK(at_pointer(r.errors, "/close"));
  CHECK(at_pointer(r.errors, "/auth/basic/0/username"));
  const auto* hash = at_pointer(r.errors, "/auth/basic/0/password_hash");
  REQUIRE(hash);
  CHECK(hash->message.find("plain-text") == std::string::npos); // a hash (or a password) is never quoted
  CHECK(at_pointer(r.errors, "/limits/burst"));
  CHECK(at_pointer(r.errors, "/limits/max_request_bytes"));
  CHECK(at_pointer(r.errors, "/suites/0/interval"));
  CHECK(at_pointer(r.errors, "/suites/1/jitter"));
  REQUIRE(at_pointer(r.errors, "/suites/1/every"));
  CHECK(at_pointer(r.errors, "/suites/2/file"));
  CHECK(text.find("missing.json") != std::string::npos);
  CHECK(at_pointer(r.errors, "/suites/3/name"));
  CHECK(at_pointer(r.errors, "/suites/4"));
  // In position order, then the suites' own errors under their own file names.
  CHECK(r.errors.front().pointer == "/listen");
  CHECK(r.errors.back().file.find("missing.json") != std::string::npos);
}

TEST_CASE("a suite's own mistakes come through with the suite's file, two suites may not share a name") {
  test::temp_dir dir;
  dir.write("edge.json", two_tcp_checks);
  dir.write("broken.json", R"({"suite": "broken", "checks": [{"name": "x", "probe": "tcp", "target": "127.0.0.1:9", "timeout": "soon"}]})");
  const auto r = load(dir, R"({"suites": [{"file": "broken.json", "interval": "1m"},
                                          {"file": "edge.json", "interval": "1m"},
                                          {"file": "edge.json", "interval": "2m"}]})");
  CHECK_FALSE(r.config);
  INFO(all(r.errors));
  bool suite_error = false;
  for (const auto& e : r.errors)
    if (e.file.find("broken.json") != std::string::npos && e.pointer == "/checks/0/timeout") suite_error = true;
  CHECK(suite_error);
  const auto* twice = at_pointer(r.errors, "/suites/2/file");
  REQUIRE(twice);
  CHECK(twice->message.find("\"edge\"") != std::string::npos);
}

TEST_CASE("not JSON, or unreadable: one error with its position") {
  test::temp_dir dir;
  const auto bad = load(dir, "{\"suites\": [\n  {\"file\": }\n]}");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].line == 2);
  CHECK(bad.errors[0].message.starts_with("invalid JSON"));
  const auto huge = load(dir, "{\"suites\": [],\n \"concurrency\": 1e400}");
  REQUIRE(huge.errors.size() == 1); // not an exception out of the loader
  CHECK(huge.errors[0].line == 2);
  CHECK(huge.errors[0].message == "invalid JSON: the number 1e400 is too large for a double");
  const auto missing = load_serve_config(dir.path() / "nope.json");
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].message.find("cannot read") != std::string::npos);
}

} // TEST_SUITE
