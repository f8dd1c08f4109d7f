#include "run/runner.hpp"

#include "core/probe.hpp"
#include "net/process_limits.hpp"
#include "run/check_execution.hpp"
#include "run/check_threads.hpp"
#include "run/problems.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace edgeprobe {

namespace {

bool holds(status s) { return s == status::pass || s == status::warn; }

// At most `per_ms` starts in any millisecond (a token bucket one millisecond
// deep): 256 checks begun in the same instant would queue behind each other on
// the first packets and report that queue as the network's time.
class start_pacer {
public:
  explicit start_pacer(std::size_t per_ms) : per_ms_(static_cast<double>(per_ms)), tokens_(per_ms_) {}

  bool take() {
    if (per_ms_ == 0) return true;
    const auto now = clock::now();
    tokens_ = std::min(per_ms_, tokens_ + to_ms(now - refilled_) * per_ms_);
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }
  // When the next start is allowed.
  clock::duration wait() const {
    return std::chrono::microseconds(static_cast<long>((1 - tokens_) / per_ms_ * 1000.0) + 1);
  }

private:
  double per_ms_;
  double tokens_;
  clock::time_point refilled_ = clock::now();
};

// Schedules a suite's checks: `needs` order, the concurrency limit, pacing and
// cancellation. Its state lives on the control thread (one io_context), so it
// needs no locks but the inbox, where checks on other threads leave results.
class scheduler {
public:
  scheduler(net::io_context& control, check_threads& workers, const suite& s, const run_options& options)
      : control_(control), workers_(workers), suite_(s), options_(options), signals_(control),
        pacing_(control), pacer_(options.starts_per_ms), slots_(s.checks.size()),
        keep_running_(control.get_executor()) {
    result_.suite = s.name;
    for (std::size_t i = 0; i < s.checks.size(); ++i) index_[s.checks[i].name] = i;
  }

  void start() {
    result_.started_at = std::chrono::system_clock::now();
    start_ = clock::now();
    if (options_.handle_signals) watch_signals();
    wire_needs();
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (!slots_[i].done && slots_[i].pending_needs == 0) needs_settled(i);
    launch_ready();
    if (finished_ == slots_.size()) all_done();
  }

  run_result take() {
    result_.duration_ms = to_ms(clock::now() - start_);
    // Sized once: growing by doubling would hold two copies' worth at the run's peak.
    result_.results.reserve(slots_.size());
    for (auto& slot : slots_) result_.results.push_back(std::move(slot.result));
    return std::move(result_);
  }

private:
  struct slot {
    std::size_t pending_needs = 0;
    std::vector<std::size_t> dependents;
    bool done = false;
    check_result result;
  };

  void wire_needs() {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      for (const auto& need : suite_.checks[i].needs)
        if (auto it = index_.find(need); it != index_.end()) {
          slots_[it->second].dependents.push_back(i);
          ++slots_[i].pending_needs;
        }
  }

  check_result not_run(std::size_t i, reason why, std::string message) {
    const auto& c = suite_.checks[i];
    check_result r;
    r.name = c.name;
    r.probe = c.prober ? std::string(c.prober->name()) : "";
    r.target = c.target.text;
    r.tags = c.tags;
    r.started_ms = to_ms(clock::now() - start_);
    r.outcome.state = status::skip;
    r.outcome.why = why;
    r.outcome.message = std::move(message);
    return r;
  }

  // All of check i's needs have results: queue it, or skip it.
  void needs_settled(std::size_t i) {
    if (slots_[i].done) return;
    if (cancelled_) return finish(i, not_run(i, reason::check_cancelled, "not run: the run was interrupted"));
    for (const auto& need : suite_.checks[i].needs) {
      auto it = index_.find(need);
      const check_result* r = it == index_.end() ? nullptr : &slots_[it->second].result;
      if (!r || !holds(r->outcome.state)) {
        std::string seen = !r ? "which is not in the suite"
                              : "which ended " + std::string(to_string(r->outcome.state)) +
                                    (r->outcome.why == reason::none ? "" : " (" + std::string(code(r->outcome.why)) + ")");
        return finish(i, not_run(i, reason::check_needs_failed, "needs \"" + need + "\", " + seen));
      }
    }
    ready_.push_back(i);
  }

  void launch_ready() {
    const std::size_t limit = std::max<std::size_t>(1, options_.concurrency);
    std::vector<check_job> jobs;
    while (!ready_.empty() && in_flight_ < limit) {
      if (!pacer_.take()) {
        pace();
        break;
      }
      const std::size_t i = ready_.front();
      ready_.pop_front();
      ++in_flight_;
      jobs.push_back({&suite_.checks[i], [this, i](std::optional<check_result> r) {
                        // On the check's own thread, while the control loop goes on.
                        if (r && !options_.compact_evidence) materialize_evidence(*r);
                        deliver(i, std::move(r));
                      }});
    }
    if (!jobs.empty()) workers_.run(std::move(jobs), start_, options_.timeout_scale, cancelled_);
  }

  void pace() {
    if (pacing_armed_) return;
    pacing_armed_ = true;
    pacing_.expires_after(pacer_.wait());
    pacing_.async_wait([this](boost::system::error_code) {
      pacing_armed_ = false;
      launch_ready();
    });
  }

  // A check's result, from whichever thread ran it. Results queue in the
  // inbox; only the first of a batch wakes the control loop, which then takes
  // them all (at concurrency 256 they arrive faster than one wake-up each).
  void deliver(std::size_t i, std::optional<check_result> r) {
    bool first = false;
    {
      std::lock_guard lock(inbox_mutex_);
      first = inbox_.empty();
      inbox_.emplace_back(i, std::move(r));
    }
    if (first) net::post(control_, [this] { take_inbox(); });
  }

  void take_inbox() {
    std::vector<std::pair<std::size_t, std::optional<check_result>>> arrived;
    {
      std::lock_guard lock(inbox_mutex_);
      arrived.swap(inbox_);
    }
    for (auto& [i, r] : arrived) {
      --in_flight_;
      finish(i, r ? std::move(*r) : internal_failure(i));
    }
    launch_ready();
  }

  void finish(std::size_t i, check_result r) {
    auto& s = slots_[i];
    if (s.done) return;
    s.done = true;
    // A hint says what to check next; a pass's reason is evidence, with nothing to fix.
    if (r.outcome.hint.empty() && r.outcome.why != reason::none && r.outcome.state != status::pass)
      r.outcome.hint = std::string(hint(r.outcome.why));
    write_problems(r);
    s.result = std::move(r);
    ++finished_;
    if (options_.on_result) options_.on_result(s.result, finished_, slots_.size());
    for (std::size_t d : s.dependents)
      if (--slots_[d].pending_needs == 0) needs_settled(d);
    if (finished_ == slots_.size()) all_done();
  }

  // check_execution contains probe faults; this is the last line of defence.
  check_result internal_failure(std::size_t i) {
    auto r = not_run(i, reason::none, "");
    r.outcome.raise(status::error, reason::internal_error, "the runner failed on this check");
    return r;
  }

  void all_done() {
    signals_.cancel();
    pacing_.cancel();
    keep_running_.reset();
    // Idle channels (a resolver's socket) may still hold the loop; the run is over.
    control_.stop();
  }

  void watch_signals() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      cancel_all();
      // A second Ctrl-C means "now": leave without the report.
      signals_.async_wait([](boost::system::error_code ec2, int) {
        if (!ec2) std::_Exit(130);
      });
    });
  }

  void cancel_all() {
    cancelled_ = true;
    while (!ready_.empty()) {
      const std::size_t i = ready_.front();
      ready_.pop_front();
      finish(i, not_run(i, reason::check_cancelled, "not run: the run was interrupted"));
    }
    workers_.cancel_all();
  }

  net::io_context& control_;
  check_threads& workers_;
  const suite& suite_;
  const run_options& options_;
  net::signal_set signals_;
  net::steady_timer pacing_;
  bool pacing_armed_ = false;
  start_pacer pacer_;
  std::vector<slot> slots_;
  std::map<std::string, std::size_t> index_;
  std::deque<std::size_t> ready_;
  std::mutex inbox_mutex_;
  std::vector<std::pair<std::size_t, std::optional<check_result>>> inbox_;
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  std::atomic<bool> cancelled_ = false;
  clock::time_point start_;
  run_result result_;
  net::executor_work_guard<net::io_context::executor_type> keep_running_;
};

std::size_t thread_count(const run_options& options, std::size_t checks) {
  std::size_t n = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(n, 1, std::max<std::size_t>(1, checks));
}

} // namespace

run_result run_suite(const suite& s, const run_options& options) {
  raise_open_file_limit();
  // Loading a large suite leaves its parse tree and positions free in the main
  // thread's heap; the workers allocate their results in heaps of their own
  // and would not reuse it. Hand those pages back before the run.
  ::malloc_trim(0);
  const std::size_t threads = thread_count(options, s.checks.size());
  net::io_context control(1);
  check_threads workers(control, threads);
  std::optional<run_result> out;
  {
    scheduler work(control, workers, s, options);
    work.start();
    workers.run_here();
    out = work.take();
  }
  workers.stop();
  return std::move(*out);
}

} // namespace edgeprobe
