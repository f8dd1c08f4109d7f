// Soak: `serve` running a suite of 200 tcp checks every 100 ms with
// `close: rst`, sampled four times a second through its own /metrics (resident
// memory, open descriptors) and `ss` (this host's TIME_WAIT to the target).
// The default run does 10,000 checks; EDGEPROBE_SOAK_CHECKS=1000000 is the
// long run (README, "Soak").
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

constexpr int checks_per_run = 200;

struct soak_sample {
  double seconds, checks, rss_bytes, fds, in_flight;
  int time_wait;
};

long soak_checks() {
  const char* text = std::getenv("EDGEPROBE_SOAK_CHECKS");
  return text && std::atol(text) > 0 ? std::atol(text) : 10'000;
}

} // namespace

TEST_SUITE("soak") {

TEST_CASE("serve soak: resident memory grows under 2 MB, descriptors stay flat, close rst leaves no TIME_WAIT") {
  const long total = soak_checks();
  test::open_loopback_port open;
  test::temp_dir dir;
  std::string checks;
  for (int i = 0; i < checks_per_run; ++i)
    checks += std::string(i ? "," : "") + R"({"name": "c)" + std::to_string(i) + R"(", "probe": "tcp", "target": "127.0.0.1:)" +
              std::to_string(open.port()) + R"("})";
  dir.write("soak.json", R"({"suite": "soak", "checks": [)" + checks + "]}");
  // A TIME_WAIT already on this port number (an earlier test's client socket
  // that had it as its ephemeral port, in its 60 s) is not serve's: counted here
  // and subtracted from every sample.
  const int time_wait_before = test::time_wait_count(open.port());
  const auto config = dir.write("serve.json", R"({"listen": "127.0.0.1:0", "close": "rst", "concurrency": 200,
    "suites": [{"file": "soak.json", "interval": "100ms"}]})");
  test::serve_process serve(config);

  std::vector<soak_sample> samples;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto metrics = test::curl_get(serve.url() + "/metrics").body;
    const double runs = test::metric_value(metrics, R"(edgeprobe_serve_runs_total\{suite="soak"\})");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    samples.push_back({seconds, runs * checks_per_run, test::metric_value(metrics, "process_resident_memory_bytes"),
                       test::metric_value(metrics, "process_open_fds"), test::metric_value(metrics, "edgeprobe_serve_checks_in_flight"),
                       test::time_wait_count(open.port()) - time_wait_before});
    if (runs * checks_per_run >= total) break;
    REQUIRE_MESSAGE(seconds < 3600, "the soak did not reach its checks in an hour");
    std::this_thread::sleep_for(250ms);
  }
  CHECK(serve.process().stop(SIGTERM) == 0);

  std::ostringstream table;
  table << "seconds  checks     rss_MiB  fds  in_flight  new_time_wait (" << time_wait_before << " before serve)\n";
  for (const auto& s : samples)
    table << std::fixed << std::setprecision(1) << std::setw(7) << s.seconds << "  " << std::setw(9)
          << static_cast<long>(s.checks) << "  " << std::setprecision(2) << std::setw(7) << s.rss_bytes / 1048576.0
          << "  " << std::setw(3) << static_cast<long>(s.fds) << "  " << std::setw(9) << static_cast<long>(s.in_flight)
          << "  " << s.time_wait << "\n";
  MESSAGE("soak samples:\n" << table.str());

  // The baseline is taken once a fifth of the checks have run: allocator
  // arenas and the first results' buffers settle in the first runs.
  REQUIRE(samples.size() >= 3);
  const auto baseline = std::find_if(samples.begin(), samples.end(), [&](const soak_sample& s) { return s.checks >= total / 5.0; });
  REQUIRE(baseline != samples.end());
  double max_rss = 0, max_fds = 0;
  int max_time_wait = 0;
  std::vector<double> fds;
  for (auto it = baseline; it != samples.end(); ++it) {
    max_rss = std::max(max_rss, it->rss_bytes);
    max_fds = std::max(max_fds, it->fds);
    max_time_wait = std::max(max_time_wait, it->time_wait);
    fds.push_back(it->fds);
  }
  CHECK(max_rss - baseline->rss_bytes < 2.0 * 1048576);
  // A run of 200 loopback checks takes a few ms of its 100 ms slot, so most
  // samples fall between runs, where serve holds only its own descriptors;
  // the lowest count of each half is that level, and a leak raises it.
  REQUIRE(fds.size() >= 4);
  const auto half = fds.begin() + static_cast<std::ptrdiff_t>(fds.size() / 2);
  const double early = *std::min_element(fds.begin(), half), late = *std::min_element(half, fds.end());
  CHECK(late <= early);
  // During a run: a socket per check in flight, and the run's own event loop.
  CHECK(max_fds <= early + checks_per_run + 8);
  CHECK(max_time_wait == 0);
}

} // TEST_SUITE
