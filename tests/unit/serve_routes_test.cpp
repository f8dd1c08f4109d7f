// serve's answers without sockets: the endpoints, the parameters it refuses
// (no request names a target: no open proxy, no SSRF), auth, and methods.
#include "serve/http_routes.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"
#include "wire/base64.hpp"

#include <doctest/doctest.h>

#include <future>

using namespace edgeprobe;

namespace {

struct served {
  test::temp_dir dir;
  std::unique_ptr<serve_state> state;

  explicit served(const std::string& extra = "") {
    // A closed loopback port: the check fails fast with tcp.refused.
    dir.write("edge.json", R"({"suite": "edge", "checks": [{"name": "closed port", "probe": "tcp", "target": "127.0.0.1:)" +
                               std::to_string(test::refusing_loopback_port()) + R"("}]})");
    const auto file = dir.write("serve.json", R"({)" + extra + R"("suites": [{"file": "edge.json", "interval": "1h"}]})");
    auto loaded = load_serve_config(file);
    REQUIRE(loaded.config);
    state = std::make_unique<serve_state>(file, std::move(*loaded.config));
    state->start();
  }

  // The first run, as /probe would wait for it.
  std::shared_ptr<const run_result> first_run() {
    std::promise<std::shared_ptr<const run_result>> done;
    REQUIRE(state->current().scheduler->run_now("edge", [&](auto r) { done.set_value(r); }));
    return done.get_future().get();
  }

  serve_response get(std::string_view target, std::string_view authorization = {}) {
    auto decision = route({"GET", target, authorization}, *state);
    REQUIRE(decision.answer);
    return *decision.answer;
  }
};

} // namespace

TEST_SUITE("serve") {

TEST_CASE("/metrics: the latest run's check series, serve's own counters and the process's") {
  served s;
  s.first_run();
  const auto r = s.get("/metrics");
  CHECK(r.status == 200);
  CHECK(r.content_type == prometheus_text_type);
  CHECK(r.body.find("edgeprobe_check_success{suite=\"edge\",check=\"closed port\",probe=\"tcp\"") != std::string::npos);
  CHECK(r.body.find("} 0\n") != std::string::npos);
  CHECK(r.body.find("edgeprobe_check_reason_info{suite=\"edge\",check=\"closed port\",probe=\"tcp\",target=") !=
        std::string::npos);
  CHECK(r.body.find("reason=\"tcp.refused\"} 1") != std::string::npos);
  CHECK(r.body.find("edgeprobe_serve_runs_total{suite=\"edge\"} ") != std::string::npos);
  CHECK(r.body.find("edgeprobe_serve_checks_in_flight ") != std::string::npos);
  CHECK(r.body.find("process_resident_memory_bytes ") != std::string::npos);
  CHECK(r.body.find("process_open_fds ") != std::string::npos);
  CHECK(r.body.find("edgeprobe_serve_config_last_reload_successful 1") != std::string::npos);
}

TEST_CASE("/probe?suite=NAME: decided here, answered after the run, an unknown name is 404 and not echoed") {
  served s;
  const auto decision = route({"GET", "/probe?suite=edge", {}}, *s.state);
  CHECK_FALSE(decision.answer);
  CHECK(decision.run_suite == "edge");
  const auto run = s.first_run();
  const auto answer = probe_answer(run.get());
  CHECK(answer.status == 200);
  CHECK(answer.body.find("edgeprobe_check_success{suite=\"edge\"") != std::string::npos);
  CHECK(answer.body.find("process_") == std::string::npos); // only the run's metrics, as blackbox_exporter's /probe
  CHECK(probe_answer(nullptr).status == 503);

  const auto unknown = s.get("/probe?suite=%3Cscript%3E");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("<script>") == std::string::npos);
  CHECK(unknown.body.find("edge") != std::string::npos); // the names that are valid
  CHECK(s.get("/probe").status == 400);
}

TEST_CASE("no parameter names a target: target, module, a second suite, or any parameter elsewhere is refused") {
  served s;
  for (const char* target : {"/probe?suite=edge&target=127.0.0.1:22", "/probe?target=10.0.0.1:443",
                             "/probe?module=tcp&target=127.0.0.1", "/probe?suite=edge&suite=other",
                             "/metrics?target=127.0.0.1:22", "/?target=x", "/api/v1/results?suite=edge",
                             "/probe?suite=edge&%74arget=127.0.0.1"}) {
    CAPTURE(target);
    const auto decision = route({"GET", target, {}}, *s.state);
    REQUIRE(decision.answer);
    CHECK(decision.answer->status == 400);
    CHECK(decision.run_suite.empty());
  }
  // Absolute-form and path tricks do not reach a route either.
  for (const char* target : {"http://127.0.0.1:22/metrics", "/probe/127.0.0.1:22", "//127.0.0.1:22/"}) {
    CAPTURE(target);
    const auto decision = route({"GET", target, {}}, *s.state);
    REQUIRE(decision.answer);
    CHECK(decision.answer->status == 404);
  }
  CHECK(s.get("/probe?suite=%zz").status == 400); // malformed escapes
}

TEST_CASE("/api/v1/results: a JSON result document per suite, /healthz, GET and HEAD only") {
  served s;
  s.first_run();
  const auto r = s.get("/api/v1/results");
  CHECK(r.content_type == "application/json");
  const auto doc = nlohmann::json::parse(r.body);
  REQUIRE(doc["suites"].size() == 1);
  CHECK(doc["suites"][0]["name"] == "edge");
  CHECK(doc["suites"][0]["runs"] == 1);
  CHECK(doc["suites"][0]["result"]["results"][0]["reason"] == "tcp.refused");
  CHECK(s.get("/healthz").body == "ok\n");
  const auto post = route({"POST", "/probe?suite=edge", {}}, *s.state);
  REQUIRE(post.answer);
  CHECK(post.answer->status == 405);
  CHECK(route({"HEAD", "/healthz", {}}, *s.state).answer->status == 200);
}

TEST_CASE("basic auth: every endpoint but /healthz needs a configured user's password") {
  served s(R"("auth": {"basic": [{"username": "prom", "password_hash": "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"}]},)");
  const auto basic = [](std::string pair) { return "Basic " + base64_encode(pair); };
  const auto missing = s.get("/metrics");
  CHECK(missing.status == 401);
  REQUIRE(missing.headers.size() == 1);
  CHECK(missing.headers[0].first == "WWW-Authenticate");
  CHECK(s.get("/metrics", basic("prom:wrong")).status == 401);
  CHECK(s.get("/metrics", basic("other:s3cret")).status == 401);
  CHECK(s.get("/metrics", "Bearer abc").status == 401);
  CHECK(s.get("/metrics", "Basic !!!").status == 401);
  CHECK(s.get("/metrics", basic("prom:s3cret")).status == 200);
  CHECK(s.get("/metrics", "basic " + base64_encode(std::string("prom:s3cret"))).status == 200); // scheme is case-insensitive
  CHECK(s.get("/metrics", basic("prom:s3cret")).status == 200);                                  // the remembered pair
  CHECK(s.get("/metrics", basic("prom:s3cret2")).status == 401);
  CHECK(s.get("/probe?suite=edge&target=x", basic("prom:wrong")).status == 401); // auth first: nothing learnt
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("query parameters: percent-decoding and malformed escapes") {
  const auto p = query_parameters("suite=edge%2Ddmz&a+b=c%20d&&flag");
  REQUIRE(p);
  REQUIRE(p->size() == 3);
  CHECK((*p)[0] == std::pair<std::string, std::string>{"suite", "edge-dmz"});
  CHECK((*p)[1] == std::pair<std::string, std::string>{"a b", "c d"});
  CHECK((*p)[2] == std::pair<std::string, std::string>{"flag", ""});
  CHECK_FALSE(query_parameters("a=%"));
  CHECK_FALSE(query_parameters("a=%4"));
  CHECK_FALSE(query_parameters("a=%g0"));
}

} // TEST_SUITE
