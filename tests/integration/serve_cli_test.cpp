// `edgeprobe serve` as a user runs it, with curl as the client: the endpoints,
// the SSRF refusal checked on the wire, the limits, TLS with basic auth, SIGHUP
// reloads (a bad config keeps the old one), and runs of one suite never overlapping.
#include "net/tcp_responder.hpp"
#include "support/io_thread.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <regex>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

// A bare loopback listener (non-blocking), for watching from outside what
// serve connects to.
class loopback_listener {
public:
  loopback_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 64) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~loopback_listener() { ::close(fd_); }
  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }
  // Connections waiting in the accept queue (each one accepted and closed).
  int pending() {
    int n = 0;
    for (int c; (c = ::accept(fd_, nullptr, nullptr)) >= 0; ++n) ::close(c);
    return n;
  }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A plain TCP connection to 127.0.0.1:port that sends nothing.
int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}


// Polls until `url` answers `wanted` in its body (the first scheduled run has ended).
test::http_reply wait_for(const std::string& url, const std::string& wanted, const std::vector<std::string>& extra = {}) {
  test::http_reply r;
  for (int i = 0; i < 100; ++i) {
    r = test::curl_get(url, extra);
    if (r.body.find(wanted) != std::string::npos) return r;
    std::this_thread::sleep_for(100ms);
  }
  FAIL("no \"" << wanted << "\" from " << url << "; last answer " << r.status << ": " << r.body);
  return r;
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("serve: /metrics has success 1 for a passing and 0 for a failing check, promtool accepts it, /probe runs now") {
  test::open_loopback_port open;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", open.port()));
  const auto config = dir.write("serve.json", test::serve_config("edge.json"));
  test::serve_process serve(config);

  const auto metrics = wait_for(serve.url() + "/metrics", "edgeprobe_check_success");
  CHECK(metrics.status == 200);
  CHECK(metrics.headers.find("text/plain; version=0.0.4") != std::string::npos);
  CHECK(metrics.body.find("edgeprobe_check_success{suite=\"edge\",check=\"open port\",probe=\"tcp\",target=\"127.0.0.1:") !=
        std::string::npos);
  CHECK(std::regex_search(metrics.body, std::regex(R"(edgeprobe_check_success\{[^}]*check="open port"[^}]*\} 1\n)")));
  CHECK(std::regex_search(metrics.body, std::regex(R"(edgeprobe_check_success\{[^}]*check="closed port"[^}]*\} 0\n)")));
  CHECK(metrics.body.find("edgeprobe_serve_runs_total{suite=\"edge\"} 1") != std::string::npos);
  test::temp_dir scratch;
  const auto file = scratch.write("metrics.prom", metrics.body);
  const auto promtool = test::run_process({"sh", "-c", "promtool check metrics < " + file.string()});
  CHECK_MESSAGE(promtool.exit_code == 0, promtool.out << promtool.err);

  const auto probe = test::curl_get(serve.url() + "/probe?suite=edge");
  CHECK(probe.status == 200);
  CHECK(probe.body.find("reason=\"tcp.refused\"} 1") != std::string::npos);
  const auto after = test::curl_get(serve.url() + "/metrics");
  CHECK(after.body.find("edgeprobe_serve_runs_total{suite=\"edge\"} 2") != std::string::npos);

  const auto results = nlohmann::json::parse(test::curl_get(serve.url() + "/api/v1/results").body);
  CHECK(results["suites"][0]["result"]["results"][1]["reason"] == "tcp.refused");
  CHECK(test::curl_get(serve.url() + "/healthz").body == "ok\n");
  const auto page = test::curl_get(serve.url() + "/");
  CHECK(page.status == 200);
  CHECK(page.headers.find("Content-Security-Policy") != std::string::npos);
  CHECK(page.body.find("closed port") != std::string::npos);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve: no request makes it connect to an address that is not in its configuration (SSRF)") {
  loopback_listener bystander; // nothing may connect to it: no configured check names it
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", test::free_loopback_port()));
  const auto config = dir.write("serve.json", test::serve_config("edge.json"));
  test::serve_process serve(config);
  const std::string there = "127.0.0.1:" + std::to_string(bystander.port());
  for (const std::string& path :
       {"/probe?target=" + there, "/probe?suite=edge&target=" + there, "/probe?module=tcp_connect&target=" + there,
        "/probe?suite=" + there, "/probe/" + there, "/metrics?target=" + there, "/?target=" + there,
        "/api/v1/results?target=http://" + there + "/"}) {
    CAPTURE(path);
    const auto r = test::curl_get(serve.url() + path);
    CHECK((r.status == 400 || r.status == 404));
  }
  // Proxy-style requests: an absolute URI, and a CONNECT.
  const auto proxied = test::curl_get("http://" + there + "/metrics", {"--proxy", serve.url()});
  CHECK(proxied.status == 404);
  const auto tunnel = test::curl_get("http://" + there + "/", {"--proxytunnel", "--proxy", serve.url()});
  CHECK(tunnel.status != 200);
  std::this_thread::sleep_for(200ms);
  CHECK(bystander.pending() == 0);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve: request size and rate limits, connection limit, TLS and basic auth with curl") {
  test::test_pki pki;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", test::free_loopback_port()));
  const auto good = pki.good();
  // `openssl passwd -5 -salt edgeprobesalt s3cret`
  const auto config = dir.write("serve.json", R"({"listen": "127.0.0.1:0",
    "tls": {"cert": ")" + good.chain.string() + R"(", "key": ")" + good.key.string() + R"("},
    "auth": {"basic": [{"username": "prom", "password_hash": "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"}]},
    "limits": {"max_request_bytes": 2048, "requests_per_second": 0.01, "burst": 5, "max_connections": 4},
    "suites": [{"file": "edge.json", "interval": "1h"}]})");
  test::serve_process serve(config);
  REQUIRE(serve.url().starts_with("https://"));
  const std::vector<std::string> trusted{"--cacert", pki.root().string()};
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), trusted.begin(), trusted.end());
    return more;
  };
  CHECK(test::curl_get(serve.url() + "/metrics", with({})).status == 401);
  CHECK(test::curl_get(serve.url() + "/metrics", with({"-u", "prom:nope"})).status == 401);
  CHECK(test::curl_get(serve.url() + "/metrics", with({"-u", "prom:s3cret"})).status == 200);
  CHECK(test::curl_get(serve.url() + "/metrics").status == 0); // untrusted without the test root
  const auto big = test::curl_get(serve.url() + "/healthz", with({"-H", "X-Filler: " + std::string(4000, 'a')}));
  CHECK(big.status == 431);
  // A burst of 5: three requests above took tokens (the refused TLS handshake
  // and the oversized request did not), two are left, then 429 with Retry-After
  // (one token per 100 s).
  CHECK(test::curl_get(serve.url() + "/healthz", with({})).status == 200);
  CHECK(test::curl_get(serve.url() + "/healthz", with({})).status == 200);
  const auto limited = test::curl_get(serve.url() + "/healthz", with({}));
  CHECK(limited.status == 429);
  std::smatch retry;
  REQUIRE(std::regex_search(limited.headers, retry, std::regex(R"(Retry-After: (\d+))")));
  CHECK(std::stoi(retry[1]) > 90);
  CHECK(std::stoi(retry[1]) <= 100);

  // Four idle connections are the limit; the fifth is closed without an answer.
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect_loopback(serve.port()));
  std::this_thread::sleep_for(200ms);
  CHECK(test::curl_get(serve.url() + "/healthz", with({})).status == 0);
  for (int fd : idle) ::close(fd);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve: SIGHUP with a bad config keeps the old one and says why, a good one applies") {
  test::open_loopback_port open;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", open.port()));
  dir.write("more.json", test::pass_and_fail_suite("more", open.port()));
  const auto config = dir.write("serve.json", test::serve_config("edge.json"));
  test::serve_process serve(config);
  wait_for(serve.url() + "/metrics", "edgeprobe_serve_runs_total{suite=\"edge\"} 1");

  dir.write("serve.json", R"({"listen": "127.0.0.1:0", "suites": [
    {"file": "edge.json", "interval": "1h"},
    {"file": "more.json", "interval": "soon"}]})");
  serve.process().signal(SIGHUP);
  serve.process().read_until("reload refused");
  const auto refusal = serve.process().read_until("/suites/1/interval");
  CHECK(refusal.find("serve.json:3:") != std::string::npos);
  const auto kept = wait_for(serve.url() + "/metrics", "edgeprobe_serve_config_last_reload_successful 0");
  CHECK(kept.body.find("suite=\"edge\"") != std::string::npos);
  CHECK(kept.body.find("suite=\"more\"") == std::string::npos);
  CHECK(kept.body.find("edgeprobe_serve_config_reloads_total{result=\"failure\"} 1") != std::string::npos);
  CHECK(test::curl_get(serve.url() + "/probe?suite=edge").status == 200); // still serving the old config

  dir.write("serve.json", R"({"listen": "127.0.0.1:0", "suites": [
    {"file": "edge.json", "interval": "1h"},
    {"file": "more.json", "interval": "1h"}]})");
  serve.process().signal(SIGHUP);
  serve.process().read_until("reloaded; suites: edge, more");
  wait_for(serve.url() + "/metrics", "edgeprobe_serve_runs_total{suite=\"more\"} 1");
  const auto applied = wait_for(serve.url() + "/metrics", "edgeprobe_serve_runs_total{suite=\"edge\"} 3");
  // edge's count carried over the reload (1 scheduled + 1 /probe), then it ran once more: 3.
  CHECK(applied.body.find("edgeprobe_serve_config_last_reload_successful 1") != std::string::npos);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve: runs of one suite never overlap, however short the interval") {
  // A silent TLS server: each run's check waits its whole 500 ms timeout, five
  // times the interval. Every accept must find the previous connection closed.
  loopback_listener silent_tls;
  const int listener = silent_tls.fd();
  std::atomic<int> accepted{0}, overlapped{0};
  std::atomic<bool> done{false};
  std::thread silent([&] {
    int previous = -1;
    while (!done) {
      timeval wait{0, 100'000};
      fd_set set;
      FD_ZERO(&set);
      FD_SET(listener, &set);
      if (::select(listener + 1, &set, nullptr, nullptr, &wait) <= 0) continue;
      const int c = ::accept(listener, nullptr, nullptr);
      if (c < 0) continue;
      ++accepted;
      if (previous >= 0) {
        char byte;
        // Still open (no FIN or RST yet) means the previous run had not ended.
        if (::recv(previous, &byte, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN) ++overlapped;
        ::close(previous);
      }
      previous = c;
    }
    if (previous >= 0) ::close(previous);
  });
  test::temp_dir dir;
  dir.write("slow.json", R"({"suite": "slow", "checks": [{"name": "silent tls", "probe": "tls", "target": "127.0.0.1:)" +
                             std::to_string(silent_tls.port()) + R"(", "timeout": "500ms"}]})");
  const auto config = dir.write("serve.json", R"({"listen": "127.0.0.1:0", "suites": [
    {"file": "slow.json", "interval": "100ms"}]})");
  {
    test::serve_process serve(config);
    // /probe during a run joins it rather than starting a second one.
    std::thread prober([&] { test::curl_get(serve.url() + "/probe?suite=slow"); });
    wait_for(serve.url() + "/metrics", "edgeprobe_serve_runs_total{suite=\"slow\"} 4");
    prober.join();
    CHECK(serve.process().stop(SIGTERM) == 0);
  }
  done = true;
  silent.join();
  CHECK(accepted >= 4);
  CHECK(overlapped == 0);
}

} // TEST_SUITE

TEST_SUITE("cli") {

TEST_CASE("serve: the schedule starts once the endpoint is bound, so a suite checking serve itself passes its first run") {
  const auto port = std::to_string(test::free_loopback_port());
  test::temp_dir dir;
  dir.write("self.json", R"({"suite": "self", "checks": [
    {"name": "serve accepts TCP", "probe": "tcp", "target": "127.0.0.1:)" + port + R"("}]})");
  const auto config = dir.write("serve.json", R"({"listen": "127.0.0.1:)" + port + R"(", "suites": [
    {"file": "self.json", "interval": "1h"}]})");
  test::serve_process serve(config);
  const auto metrics = wait_for(serve.url() + "/metrics", "edgeprobe_serve_runs_total{suite=\"self\"} 1");
  CHECK(std::regex_search(metrics.body, std::regex(R"(edgeprobe_check_success\{[^}]*check="serve accepts TCP"[^}]*\} 1\n)")));
  CHECK(serve.process().stop(SIGTERM) == 0);
}

} // TEST_SUITE
