#include "run/check_threads.hpp"

#include "run/check_execution.hpp"
#include "run/measured_loop.hpp"
#include "run/resolver_pool.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <set>
#include <thread>

namespace edgeprobe {

struct check_threads::worker {
  explicit worker(net::io_context* shared)
      : io(shared ? *shared : own.emplace(1)), resolvers(io.get_executor()), keep_running(io.get_executor()) {}

  std::optional<net::io_context> own;
  net::io_context& io;
  // Below the io_context: destroyed first, while their sockets' loop still exists.
  resolver_pool resolvers;
  // The running checks' guards; touched only on this worker's thread.
  std::set<net::steady_timer*> guards;
  net::executor_work_guard<net::io_context::executor_type> keep_running;
  std::thread thread;
};

namespace {

net::awaitable<check_result> run_on(check_threads::worker& w, const check_spec& check, clock::time_point run_start,
                                    double timeout_scale, net::cancellation_signal& spawned_with,
                                    const std::atomic<bool>& cancelled) {
  net::steady_timer guard(w.io);
  w.guards.insert(&guard);
  struct forget {
    check_threads::worker& w;
    net::steady_timer* guard;
    ~forget() { w.guards.erase(guard); }
  } on_exit{w, &guard};
  check_execution execution{check, w.resolvers, run_start, timeout_scale, guard, spawned_with, cancelled};
  co_return co_await execution.run();
}

void start_on(check_threads::worker& w, check_job job, clock::time_point run_start, double timeout_scale,
              const std::atomic<bool>& cancelled) {
  // The check's coroutine is spawned with a cancellation slot of its own, which
  // its guard emits on (check_execution); the handler keeps the signal alive.
  auto stop = std::make_unique<net::cancellation_signal>();
  auto& signal = *stop;
  net::co_spawn(w.io, run_on(w, *job.check, run_start, timeout_scale, signal, cancelled),
                net::bind_cancellation_slot(signal.slot(), [done = std::move(job.done), stop = std::move(stop)](
                                                               std::exception_ptr e, check_result r) {
                  done(e ? std::nullopt : std::optional<check_result>(std::move(r)));
                }));
}

} // namespace

check_threads::check_threads(net::io_context& control, std::size_t count) {
  workers_.push_back(std::make_unique<worker>(&control));
  for (std::size_t i = 1; i < count; ++i) {
    workers_.push_back(std::make_unique<worker>(nullptr));
    auto& w = *workers_.back();
    w.thread = std::thread([&w] { run_measured(w.io); });
  }
}

check_threads::~check_threads() { stop(); }

void check_threads::run(std::vector<check_job> jobs, clock::time_point run_start, double timeout_scale,
                        const std::atomic<bool>& cancelled) {
  std::vector<std::vector<check_job>> shares(workers_.size());
  for (auto& job : jobs) shares[next_++ % workers_.size()].push_back(std::move(job));
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    if (shares[i].empty()) continue;
    auto& w = *workers_[i];
    if (!w.own) { // the control thread's own loop: no hand-over
      for (auto& job : shares[i]) start_on(w, std::move(job), run_start, timeout_scale, cancelled);
      continue;
    }
    net::post(w.io, [&w, share = std::move(shares[i]), run_start, timeout_scale, &cancelled]() mutable {
      for (auto& job : share) start_on(w, std::move(job), run_start, timeout_scale, cancelled);
    });
  }
}

void check_threads::cancel_all() {
  for (auto& w : workers_)
    net::post(w->io, [&w = *w] {
      for (auto* guard : w.guards) guard->expires_at(clock::time_point::min()); // wakes the check's guard now
    });
}

void check_threads::run_here() { run_measured(workers_.front()->io); }

void check_threads::stop() {
  for (auto& w : workers_) {
    w->keep_running.reset();
    if (w->thread.joinable()) {
      w->io.stop();
      w->thread.join();
    }
  }
}

} // namespace edgeprobe
