#include "run/runner.hpp"

#include "core/probe.hpp"
#include "net/process_limits.hpp"
#include "run/check_execution.hpp"
#include "run/problems.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>

namespace edgeprobe {

namespace {

bool holds(status s) { return s == status::pass || s == status::warn; }

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Schedules a suite's checks on one io_context: `needs` order, the concurrency
// limit, and cancellation. Single-threaded, so it needs no locks.
class scheduler {
public:
  scheduler(net::io_context& io, const suite& s, const run_options& options)
      : io_(io), suite_(s), options_(options), resolvers_(io.get_executor()), signals_(io),
        slots_(s.checks.size()) {
    result_.suite = s.name;
    for (std::size_t i = 0; i < s.checks.size(); ++i) index_[s.checks[i].name] = i;
  }

  void start() {
    result_.started_at = std::chrono::system_clock::now();
    start_ = clock::now();
    if (options_.handle_signals) watch_signals();
    wire_needs();
    apply_selection();
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (!slots_[i].done && slots_[i].pending_needs == 0) needs_settled(i);
    launch_ready();
    if (finished_ == slots_.size()) signals_.cancel();
  }

  run_result take() {
    result_.duration_ms = to_ms(clock::now() - start_);
    for (auto& slot : slots_) result_.results.push_back(std::move(slot.result));
    return std::move(result_);
  }

private:
  struct slot {
    std::size_t pending_needs = 0;
    std::vector<std::size_t> dependents;
    bool done = false;
    check_result result;
    std::unique_ptr<net::steady_timer> guard;
    std::unique_ptr<check_execution> execution;
  };

  void wire_needs() {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      for (const auto& need : suite_.checks[i].needs)
        if (auto it = index_.find(need); it != index_.end()) {
          slots_[it->second].dependents.push_back(i);
          ++slots_[i].pending_needs;
        }
  }

  // --only and --tags pick checks; what they need runs too, or they could not.
  void apply_selection() {
    if (options_.only.empty() && options_.tags.empty()) return;
    std::vector<bool> selected(slots_.size(), false);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const auto& c = suite_.checks[i];
      const bool by_name = options_.only.empty() || contains(options_.only, c.name);
      const bool by_tag = options_.tags.empty() ||
                          std::any_of(c.tags.begin(), c.tags.end(), [&](auto& t) { return contains(options_.tags, t); });
      if (by_name && by_tag) todo.push_back(i);
    }
    while (!todo.empty()) {
      const std::size_t i = todo.back();
      todo.pop_back();
      if (selected[i]) continue;
      selected[i] = true;
      for (const auto& need : suite_.checks[i].needs)
        if (auto it = index_.find(need); it != index_.end()) todo.push_back(it->second);
    }
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (!selected[i]) finish(i, not_run(i, reason::none, options_.only.empty() ? "filtered out by --tags" : "filtered out by --only"));
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
    while (!ready_.empty() && in_flight_ < limit) {
      const std::size_t i = ready_.front();
      ready_.pop_front();
      launch(i);
    }
  }

  void launch(std::size_t i) {
    ++in_flight_;
    auto& s = slots_[i];
    s.guard = std::make_unique<net::steady_timer>(io_);
    s.execution = std::make_unique<check_execution>(
        check_execution{suite_.checks[i], resolvers_, start_, options_.timeout_scale, *s.guard, cancelled_});
    net::co_spawn(io_, s.execution->run(), [this, i](std::exception_ptr e, check_result r) {
      --in_flight_;
      if (e) { // check_execution contains probe faults; this is the last line of defence
        r = not_run(i, reason::none, "");
        r.outcome.raise(status::error, reason::internal_error, "the runner failed on this check");
      }
      slots_[i].execution.reset();
      slots_[i].guard.reset();
      finish(i, std::move(r));
      launch_ready();
    });
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
    if (finished_ == slots_.size()) signals_.cancel();
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
    for (auto& s : slots_)
      if (s.guard) s.guard->expires_at(clock::time_point::min()); // wakes the check's guard now
  }

  net::io_context& io_;
  const suite& suite_;
  const run_options& options_;
  resolver_pool resolvers_;
  net::signal_set signals_;
  std::vector<slot> slots_;
  std::map<std::string, std::size_t> index_;
  std::deque<std::size_t> ready_;
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  bool cancelled_ = false;
  clock::time_point start_;
  run_result result_;
};

} // namespace

run_result run_suite(const suite& s, const run_options& options) {
  raise_open_file_limit();
  net::io_context io(1);
  scheduler work(io, s, options);
  work.start();
  io.run();
  return work.take();
}

} // namespace edgeprobe
