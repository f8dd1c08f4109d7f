// serve as Prometheus sees it: a real Prometheus server (Debian's) started on
// loopback scrapes serve with basic auth, and its query API must report
// edgeprobe_check_success 1 for the passing check and 0 for the failing one.
// Also serve's status page in headless Chromium, and what `close: rst` and a
// long run do to the host's sockets and serve's descriptors.
#include "net/tcp_responder.hpp"
#include "support/chromium.hpp"
#include "support/io_thread.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <regex>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

const net::ip::tcp::endpoint any_loopback{net::ip::make_address("127.0.0.1"), 0};


// A Prometheus server of the test's own: loopback only, data in a temp dir.
class prometheus_server {
public:
  prometheus_server(const test::temp_dir& dir, const std::string& scrape_target) : port_(test::free_loopback_port()) {
    const auto config = dir.write("prometheus.yml", R"(global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: edgeprobe
    scrape_interval: 1s
    scrape_timeout: 1s
    basic_auth:
      username: prom
      password: s3cret
    static_configs:
      - targets: [")" + scrape_target + R"("]
        labels:
          vantage: loopback
)");
    const auto check = test::run_process({"promtool", "check", "config", config.string()});
    REQUIRE_MESSAGE(check.exit_code == 0, check.out << check.err);
    process_ = std::make_unique<test::background_process>(
        std::vector<std::string>{"prometheus", "--config.file=" + config.string(),
                                 "--storage.tsdb.path=" + (dir.path() / "data").string(),
                                 "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=info"},
        true);
    process_->read_until("Server is ready to receive web requests", std::chrono::seconds(30));
  }
  ~prometheus_server() { process_->stop(SIGTERM); }

  // The instant vector for `query`, as Prometheus's HTTP API returns it.
  nlohmann::json query(const std::string& query) const {
    const auto r = test::curl_get("http://127.0.0.1:" + std::to_string(port_) + "/api/v1/query",
                                  {"--get", "--data-urlencode", "query=" + query});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto doc = nlohmann::json::parse(r.body);
    REQUIRE(doc["status"] == "success");
    return doc["data"]["result"];
  }

private:
  std::uint16_t port_;
  std::unique_ptr<test::background_process> process_;
};

// A listener that closes each connection gracefully once the client has
// (the responders end with a RST, which leaves no TIME_WAIT on either side
// and so would hide what the client's own close does).
class graceful_listener {
public:
  graceful_listener() : acceptor_(io_, any_loopback) {
    thread_ = std::thread([this] {
      acceptor_.non_blocking(true);
      while (!done_) {
        boost::system::error_code ec;
        auto socket = acceptor_.accept(ec);
        if (ec) {
          std::this_thread::sleep_for(5ms);
        } else {
          held_.push_back(std::move(socket));
        }
        for (auto it = held_.begin(); it != held_.end();) {
          char byte;
          it->non_blocking(true);
          it->read_some(net::buffer(&byte, 1), ec);
          if (ec == net::error::would_block) ++it;
          else {
            it->close(ec); // the client's FIN has come: close in turn, with a FIN
            it = held_.erase(it);
          }
        }
      }
    });
  }
  ~graceful_listener() {
    done_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

private:
  net::io_context io_;
  net::ip::tcp::acceptor acceptor_;
  std::vector<net::ip::tcp::socket> held_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

} // namespace

TEST_SUITE("cli") {

TEST_CASE("Prometheus scraping serve (basic auth, bcrypt) reports success 1 for the passing check and 0 for the failing") {
  test::open_loopback_port open;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", open.port()));
  // python3 -c "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"
  const auto config = dir.write("serve.json", R"({"listen": "127.0.0.1:0",
    "auth": {"basic": [{"username": "prom", "password_hash": "$2b$04$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH."}]},
    "suites": [{"file": "edge.json", "interval": "1s"}]})");
  test::serve_process serve(config);
  prometheus_server prometheus(dir, "127.0.0.1:" + std::to_string(serve.port()));

  nlohmann::json found;
  for (int i = 0; i < 150 && found.size() < 2; ++i) {
    found = prometheus.query("edgeprobe_check_success");
    if (found.size() < 2) std::this_thread::sleep_for(100ms);
  }
  INFO(found.dump(2));
  REQUIRE(found.size() == 2);
  std::map<std::string, std::string> by_check;
  for (const auto& series : found) {
    CHECK(series["metric"]["job"] == "edgeprobe");
    CHECK(series["metric"]["vantage"] == "loopback");
    CHECK(series["metric"]["suite"] == "edge");
    CHECK(series["metric"]["probe"] == "tcp");
    by_check[series["metric"]["check"].get<std::string>()] = series["value"][1].get<std::string>();
  }
  CHECK(by_check["open port"] == "1");
  CHECK(by_check["closed port"] == "0");
  const auto up = prometheus.query("up{job=\"edgeprobe\"}");
  REQUIRE(up.size() == 1);
  CHECK(up[0]["value"][1] == "1"); // the scrape itself succeeded, with auth
  const auto reason = prometheus.query("edgeprobe_check_reason_info{check=\"closed port\"}");
  REQUIRE(reason.size() == 1);
  CHECK(reason[0]["metric"]["reason"] == "tcp.refused");
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve's status page in headless Chromium: renders both checks, refreshes, no console errors") {
  REQUIRE_MESSAGE(!test::chromium_path().empty(), test::chromium_missing);
  test::open_loopback_port open;
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", open.port()));
  const auto config = dir.write("serve.json", test::serve_config("edge.json"));
  test::serve_process serve(config);
  test::http_reply page;
  for (int i = 0; i < 100 && page.body.find("closed port") == std::string::npos; ++i) {
    page = test::curl_get(serve.url() + "/");
    std::this_thread::sleep_for(50ms);
  }
  REQUIRE(page.status == 200);
  CHECK(page.body.find("http-equiv=\"refresh\" content=\"30\"") != std::string::npos);
  CHECK(page.body.find("open port") != std::string::npos);
  const auto file = dir.write("status.html", page.body);
  const auto png = dir.path() / "status.png";
  const auto shot = test::render_screenshot(file, png, 1280, 1000);
  INFO("chromium's stderr:\n", shot.err);
  REQUIRE(shot.exit_code == 0);
  CHECK_MESSAGE(shot.console.empty(), "console messages:\n" << shot.console_text());
  const auto image = test::read_png(png);
  CHECK_MESSAGE(image.error.empty(), image.error);
  CHECK(image.width == 1280);
  CHECK(image.non_background_share() > 0.2);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("serve at a high rate: close rst leaves no TIME_WAIT, fin does, descriptors stay flat") {
  graceful_listener open;
  const auto port = open.port();
  test::temp_dir dir;
  dir.write("edge.json", test::pass_and_fail_suite("edge", port));
  for (const bool rst : {true, false}) {
    CAPTURE(rst);
    const auto before = test::time_wait_count(port);
    const auto config = dir.write("serve.json", std::string(R"({"listen": "127.0.0.1:0", "close": ")") +
                                                    (rst ? "rst" : "fin") +
                                                    R"(", "suites": [{"file": "edge.json", "interval": "100ms"}]})");
    test::serve_process serve(config);
    std::string metrics;
    const auto runs = [&] {
      metrics = test::curl_get(serve.url() + "/metrics").body;
      return test::metric_value(metrics, R"(edgeprobe_serve_runs_total\{suite="edge"\})");
    };
    while (runs() < 3) std::this_thread::sleep_for(50ms);
    const double early_fds = test::metric_value(metrics, "process_open_fds");
    while (runs() < 25) std::this_thread::sleep_for(50ms);
    const double late_fds = test::metric_value(metrics, "process_open_fds");
    CHECK(early_fds > 0);
    CHECK(late_fds <= early_fds + 1); // the scrape's own connection may be the one more
    const auto after = test::time_wait_count(port);
    if (rst) CHECK(after <= before); // fewer when one from before expired
    else CHECK(after >= before + 20); // a graceful close: one TIME_WAIT per connection
    CHECK(serve.process().stop(SIGTERM) == 0);
  }
}

} // TEST_SUITE
