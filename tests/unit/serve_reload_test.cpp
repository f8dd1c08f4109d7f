// SIGHUP's reload with a deadline: a read of the config that does not end in
// time is a failed reload, the running configuration stays, and later reloads
// are not held up by it.
#include "serve/config_reloader.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

struct served_config {
  test::temp_dir dir;
  std::filesystem::path file;
  std::unique_ptr<serve_state> state;

  served_config() {
    dir.write("edge.json", R"({"suite": "edge", "checks": [{"name": "closed port", "probe": "tcp", "target": "127.0.0.1:)" +
                               std::to_string(test::refusing_loopback_port()) + R"("}]})");
    file = dir.write("serve.json", R"({"suites": [{"file": "edge.json", "interval": "1h"}]})");
    auto loaded = load_serve_config(file);
    REQUIRE(loaded.config);
    state = std::make_unique<serve_state>(file, std::move(*loaded.config));
  }
};

} // namespace

TEST_SUITE("serve") {

TEST_CASE("serve reload: a read that blocks fails at the deadline, the old config stays, the next reload works") {
  served_config s;
  std::promise<void> unblock;
  auto unblocked = unblock.get_future().share();
  std::atomic<int> calls{0};
  config_reloader reloader(*s.state, [&, unblocked] {
    if (calls++ == 0) unblocked.wait(); // the first read hangs, as on a FIFO
    return load_serve_config(s.file);
  });
  const auto before = s.state->current().config;

  const auto started = std::chrono::steady_clock::now();
  const auto errors = reloader.reload(200ms);
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("reload_timeout") != std::string::npos);
  CHECK(took >= 200ms);
  CHECK(took < 3s);
  CHECK_FALSE(s.state->reloads().last_ok);
  CHECK(s.state->reloads().failed == 1);
  CHECK(s.state->current().config == before);
  CHECK(reloader.stuck() == 1);

  CHECK(reloader.reload(5s).empty()); // not held up by the stuck one
  CHECK(s.state->reloads().last_ok);
  CHECK(s.state->current().config != before);

  unblock.set_value();
  for (int i = 0; i < 200 && reloader.stuck() > 0; ++i) std::this_thread::sleep_for(10ms);
  CHECK(reloader.stuck() == 0);
  CHECK(s.state->reloads().succeeded == 1); // the late result was thrown away, not applied
}

TEST_CASE("serve reload: after max_stuck reads that never ended, a reload is refused at once") {
  served_config s;
  std::promise<void> unblock;
  auto unblocked = unblock.get_future().share();
  config_reloader reloader(*s.state, [&, unblocked] {
    unblocked.wait();
    return load_serve_config(s.file);
  });
  for (std::size_t i = 0; i < config_reloader::max_stuck; ++i) CHECK(reloader.reload(20ms).size() == 1);
  const auto started = std::chrono::steady_clock::now();
  const auto errors = reloader.reload(10s);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("still stuck") != std::string::npos);
  CHECK(s.state->reloads().failed == config_reloader::max_stuck + 1);
  unblock.set_value();
  for (int i = 0; i < 200 && reloader.stuck() > 0; ++i) std::this_thread::sleep_for(10ms);
  CHECK(reloader.stuck() == 0);
}

} // TEST_SUITE
