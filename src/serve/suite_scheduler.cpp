#include "serve/suite_scheduler.hpp"

#include "report/redact.hpp"
#include "run/runner.hpp"

#include <chrono>
#include <random>

namespace edgeprobe {

struct suite_scheduler::worker {
  explicit worker(const scheduled_suite& suite) : spec(suite) {} // clang 14 has no aggregate init with ()
  const scheduled_suite& spec;
  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool requested = false;   // a /probe asked for a run
  std::vector<run_handler> waiting;
  std::shared_ptr<const run_result> last;
  std::uint64_t runs = 0;
  lag_histogram lag;
  std::thread thread;
};

std::vector<const run_result*> latest_runs(const std::vector<suite_snapshot>& suites) {
  std::vector<const run_result*> runs;
  for (const auto& s : suites)
    if (s.last) runs.push_back(s.last.get());
  return runs;
}

suite_scheduler::suite_scheduler(std::shared_ptr<const serve_config> config, const std::vector<suite_snapshot>& carried)
    : config_(std::move(config)) {
  for (const auto& spec : config_->suites) {
    auto w = std::make_unique<worker>(spec);
    for (const auto& earlier : carried)
      if (earlier.name == spec.name) {
        w->last = earlier.last;
        w->runs = earlier.runs;
        w->lag = earlier.lag;
      }
    workers_.push_back(std::move(w));
  }
}

suite_scheduler::~suite_scheduler() { stop(); }

void suite_scheduler::start() {
  for (auto& w : workers_)
    if (!w->thread.joinable()) w->thread = std::thread([this, &w = *w] { loop(w); });
}

void suite_scheduler::stop() {
  for (auto& w : workers_) {
    std::lock_guard lock(w->mutex);
    w->stopping = true;
    w->wake.notify_all();
  }
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
}

bool suite_scheduler::run_now(const std::string& name, run_handler done) {
  for (auto& w : workers_) {
    if (w->spec.name != name) continue;
    std::unique_lock lock(w->mutex);
    if (w->stopping) {
      auto last = w->last;
      lock.unlock();
      done(std::move(last));
      return true;
    }
    w->waiting.push_back(std::move(done));
    w->requested = true;
    w->wake.notify_all();
    return true;
  }
  return false;
}

std::vector<suite_snapshot> suite_scheduler::snapshot() const {
  std::vector<suite_snapshot> out;
  for (const auto& w : workers_) {
    std::lock_guard lock(w->mutex);
    out.push_back({w->spec.name, w->last, w->runs, w->lag});
  }
  return out;
}

std::shared_ptr<const run_result> suite_scheduler::run_once(worker& w) {
  run_options options;
  options.concurrency = config_->concurrency;
  options.timeout_scale = w.spec.timeout_scale;
  options.handle_signals = false; // serve owns the signals: SIGHUP reloads, SIGTERM stops
  const std::size_t total = w.spec.loaded->checks.size();
  checks_in_flight_ += total;
  std::size_t ended = 0;
  options.on_result = [&](const check_result&, std::size_t, std::size_t) {
    ++ended;
    --checks_in_flight_;
  };
  auto run = run_suite(*w.spec.loaded, options);
  checks_in_flight_ -= total - ended;
  run.suite = w.spec.name; // the configured name: /probe?suite= and the `suite` label agree
  redact(run, w.spec.loaded->secrets);
  return std::make_shared<const run_result>(std::move(run));
}

// Slots are interval apart from the start; each run begins a random part of
// the jitter after its slot, so many suites (or many serve instances) do not
// all hit the network at once. A slot missed because a run overran is skipped.
void suite_scheduler::loop(worker& w) {
  using steady = std::chrono::steady_clock;
  std::mt19937_64 random(std::random_device{}());
  const auto jittered = [&](steady::time_point slot) {
    const auto span = w.spec.jitter.count();
    return slot + std::chrono::microseconds(span > 0 ? std::uniform_int_distribution<long long>(0, span)(random) : 0);
  };
  auto slot = steady::now();
  auto next = jittered(slot);
  for (;;) {
    std::vector<run_handler> answered;
    {
      std::unique_lock lock(w.mutex);
      w.wake.wait_until(lock, next, [&] { return w.stopping || w.requested; });
      if (w.stopping) {
        answered.swap(w.waiting);
        lock.unlock();
        for (auto& done : answered) done(w.last);
        return;
      }
      w.requested = false;
    }
    auto result = run_once(w);
    {
      std::lock_guard lock(w.mutex);
      w.last = result;
      ++w.runs;
      w.lag.observe_run(*result);
      answered.swap(w.waiting);
      w.requested = false; // every waiting /probe is answered by this run
    }
    for (auto& done : answered) done(result);
    const auto now = steady::now();
    if (now >= next) {
      while (slot <= now) slot += w.spec.interval;
      next = jittered(slot);
    }
  }
}

} // namespace edgeprobe
