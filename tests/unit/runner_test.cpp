// The runner's own duties, exercised with scripted probes: needs, retries,
// address fan-out, the deadline guard, contained exceptions, concurrency.
#include "run/runner.hpp"

#include "core/probe.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

// What a scripted probe does, keyed by the address it is run against.
struct script : probe_config {
  std::map<std::string, std::vector<std::string>> by_address; // "*" for no address; one entry per attempt
  std::chrono::milliseconds sleep{0};
};

// What every test probe here shares: no options, no configuration of its own.
class test_double : public probe {
public:
  explicit test_double(std::string_view name) : name_(name) {}
  std::string_view name() const override { return name_; }
  std::string_view summary() const override { return "test double"; }
  target_rules target() const override { return {}; }
  const probe_options& options() const override { static const probe_options none; return none; }
  std::shared_ptr<const probe_config> configure(const nlohmann::json&, config_errors&) const override { return nullptr; }

private:
  std::string_view name_;
};

class scripted_probe final : public test_double {
public:
  explicit scripted_probe(bool per_address)
      : test_double(per_address ? "scripted" : "scripted_single"), per_address_(per_address) {}
  bool per_address() const override { return per_address_; }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    ++calls;
    in_flight_now = in_flight_now + 1;
    max_in_flight = std::max(max_in_flight, in_flight_now);
    const auto& s = ctx.config<script>();
    const std::string key = ctx.address ? ctx.address->to_string() : "*";
    const auto& steps = s.by_address.at(key);
    const std::string step = steps[std::min(attempts[key]++, steps.size() - 1)];
    auto phase = ctx.phases.begin("work");
    net::steady_timer t(ctx.executor, step == "hang" ? 1h : s.sleep);
    co_await t.async_wait(net::as_tuple(net::use_awaitable));
    in_flight_now = in_flight_now - 1;
    if (step == "throw") throw std::runtime_error("scripted fault");
    verdict v;
    if (step == "fail") v.raise(status::fail, reason::tcp_refused, "refused by " + key);
    if (step == "unreachable") v.raise(status::fail, reason::tcp_host_unreachable, "unreachable " + key);
    if (step == "warn") v.raise(status::warn, reason::tls_cert_expires_soon, "soon");
    co_return v;
  }

  mutable std::size_t calls = 0, in_flight_now = 0, max_in_flight = 0;
  mutable std::map<std::string, std::size_t> attempts;

private:
  bool per_address_;
};

check_spec make_check(const probe& p, std::string name, std::string host, std::shared_ptr<script> s) {
  check_spec c;
  c.name = std::move(name);
  c.prober = &p;
  c.target = {host + ":1", host, 1};
  c.config = std::move(s);
  c.timeout = 2s;
  return c;
}

std::shared_ptr<script> steps(std::map<std::string, std::vector<std::string>> by_address) {
  auto s = std::make_shared<script>();
  s->by_address = std::move(by_address);
  return s;
}

// One thread unless a test asks for more: scripted_probe counts without locks.
run_result run(const suite& s, run_options o = {}) {
  o.handle_signals = false;
  if (o.threads == 0) o.threads = 1;
  return run_suite(s, o);
}

// For the threaded tests: each check's outcome comes from its own name, so the
// result does not depend on which thread ran it or when.
class named_outcome_probe final : public test_double {
public:
  named_outcome_probe() : test_double("named") {}

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const int now = ++in_flight_now;
    for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {}
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
      starts.push_back(clock::now());
    }
    auto phase = ctx.phases.begin("work");
    net::steady_timer t(ctx.executor, std::chrono::milliseconds(std::hash<std::string>{}(ctx.check.name) % 7));
    co_await t.async_wait(net::as_tuple(net::use_awaitable));
    --in_flight_now;
    verdict v;
    const auto n = std::stoi(ctx.check.name.substr(1));
    if (n % 3 == 1) v.raise(status::fail, reason::tcp_refused, "refused: " + ctx.check.name);
    if (n % 5 == 2) v.raise(status::warn, reason::tls_cert_expires_soon, "soon: " + ctx.check.name);
    co_return v;
  }

  mutable std::atomic<int> in_flight_now = 0, max_in_flight = 0;
  mutable std::mutex mutex;
  mutable std::set<std::thread::id> threads;
  mutable std::vector<clock::time_point> starts;
};

// A probe that holds its thread: what a slow handler does to every other
// check on the same loop.
class hogging_probe final : public test_double {
public:
  hogging_probe() : test_double("hog") {}

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const bool hog = ctx.check.name == "hog";
    auto phase = ctx.phases.begin("work");
    net::steady_timer t(ctx.executor, hog ? 10ms : 30ms);
    co_await t.async_wait(net::as_tuple(net::use_awaitable));
    phase.end();
    if (hog) std::this_thread::sleep_for(150ms); // the timer of the other check expires meanwhile
    co_return verdict{};
  }
};

} // namespace

TEST_CASE("a check whose need fails is skipped with check.needs_failed, one whose need passed runs") {
  scripted_probe p(true);
  suite s;
  s.checks.push_back(make_check(p, "base", "127.0.0.1", steps({{"127.0.0.1", {"fail"}}})));
  s.checks.push_back(make_check(p, "dependent", "127.0.0.1", steps({{"127.0.0.1", {"pass"}}})));
  s.checks.back().needs = {"base"};
  s.checks.push_back(make_check(p, "ok", "127.0.0.2", steps({{"127.0.0.2", {"pass"}}})));
  s.checks.push_back(make_check(p, "after ok", "127.0.0.3", steps({{"127.0.0.3", {"pass"}}})));
  s.checks.back().needs = {"ok"};
  auto r = run(s);
  REQUIRE(r.results.size() == 4);
  CHECK(r.results[0].outcome.state == status::fail);
  CHECK(r.results[1].outcome.state == status::skip);
  CHECK(r.results[1].outcome.why == reason::check_needs_failed);
  CHECK(r.results[1].outcome.message.find("base") != std::string::npos);
  CHECK(r.results[3].outcome.state == status::pass);
  CHECK(r.overall() == status::fail);
  CHECK(p.calls == 3);
}

TEST_CASE("retries: a later success wins, when all fail the first cause is reported") {
  scripted_probe p(true);
  suite s;
  s.checks.push_back(make_check(p, "flaky", "127.0.0.1", steps({{"127.0.0.1", {"fail", "pass"}}})));
  s.checks.back().retries = 2;
  s.checks.push_back(make_check(p, "broken", "127.0.0.2", steps({{"127.0.0.2", {"unreachable", "fail"}}})));
  s.checks.back().retries = 1;
  auto r = run(s);
  CHECK(r.results[0].outcome.state == status::pass);
  CHECK(r.results[0].attempts == 2);
  CHECK(r.results[0].outcome.details["attempts"].size() == 2);
  CHECK(r.results[1].outcome.state == status::fail);
  CHECK(r.results[1].attempts == 2);
  CHECK(r.results[1].outcome.why == reason::tcp_host_unreachable);
  CHECK(r.results[1].outcome.details["attempts"][1]["reason"] == "tcp.refused");
}

TEST_CASE("a probe that overruns its deadline is cut off: check.timeout soon after the deadline") {
  scripted_probe p(true);
  suite s;
  s.checks.push_back(make_check(p, "hangs", "127.0.0.1", steps({{"127.0.0.1", {"hang"}}})));
  s.checks.back().timeout = 300ms;
  const auto t0 = clock::now();
  auto r = run(s);
  const double elapsed = to_ms(clock::now() - t0);
  CHECK(r.results[0].outcome.state == status::fail);
  CHECK(r.results[0].outcome.why == reason::check_timeout);
  CHECK(r.results[0].outcome.message.find("300ms") != std::string::npos);
  CHECK(elapsed >= 300);
  CHECK(elapsed < 300 + 50 + 200); // deadline + grace + scheduling slack
}

TEST_CASE("an exception inside a probe becomes an error result, not a crash") {
  scripted_probe p(true);
  suite s;
  s.checks.push_back(make_check(p, "throws", "127.0.0.1", steps({{"127.0.0.1", {"throw"}}})));
  s.checks.push_back(make_check(p, "fine", "127.0.0.2", steps({{"127.0.0.2", {"pass"}}})));
  auto r = run(s);
  CHECK(r.results[0].outcome.state == status::error);
  CHECK(r.results[0].outcome.why == reason::internal_error);
  CHECK(r.results[0].outcome.message.find("scripted fault") != std::string::npos);
  CHECK(r.results[1].outcome.state == status::pass);
}

TEST_CASE("the concurrency limit bounds checks in flight") {
  scripted_probe p(true);
  suite s;
  for (int i = 0; i < 40; ++i) {
    auto sc = steps({{"127.0.0.1", {"pass"}}});
    sc->sleep = 5ms;
    s.checks.push_back(make_check(p, "c" + std::to_string(i), "127.0.0.1", sc));
  }
  run_options o;
  o.concurrency = 7;
  std::size_t progress_calls = 0;
  o.on_result = [&](const check_result&, std::size_t done, std::size_t total) {
    ++progress_calls;
    CHECK(done <= total);
  };
  auto r = run(s, o);
  CHECK(r.summary().pass == 40);
  CHECK(p.max_in_flight == 7);
  CHECK(progress_calls == 40);
}

TEST_CASE("a probe that does not connect runs once, without addresses") {
  scripted_probe p(false);
  suite s;
  s.checks.push_back(make_check(p, "single", "name.example", steps({{"*", {"warn"}}})));
  auto r = run(s);
  CHECK(r.results[0].outcome.state == status::warn);
  CHECK(r.results[0].addresses.empty());
  CHECK(r.results[0].outcome.hint.find("Renew") != std::string::npos);
  REQUIRE(r.results[0].phases.size() == 1);
  CHECK(r.results[0].phases[0].name == "work");
}

TEST_CASE("threads: the same suite gives the same results in the same order with 1 and with 4 threads") {
  named_outcome_probe p;
  suite s;
  for (int i = 0; i < 200; ++i) {
    s.checks.push_back(make_check(p, "c" + std::to_string(i), "127.0.0.1", nullptr));
    if (i % 10 == 9) s.checks.back().needs = {"c" + std::to_string(i - 1)};
  }
  run_options one;
  one.threads = 1;
  one.concurrency = 16;
  const auto a = run(s, one);
  CHECK(p.threads.size() == 1);
  p.threads.clear();
  run_options four = one;
  four.threads = 4;
  const auto b = run(s, four);
  CHECK(p.threads.size() == 4); // round-robin: every thread ran checks
  CHECK(p.max_in_flight <= 16); // the limit holds across threads
  REQUIRE(a.results.size() == b.results.size());
  int failed = 0, skipped = 0;
  for (std::size_t i = 0; i < a.results.size(); ++i) {
    CAPTURE(i);
    CHECK(a.results[i].name == b.results[i].name);
    CHECK(a.results[i].outcome.state == b.results[i].outcome.state);
    CHECK(a.results[i].outcome.why == b.results[i].outcome.why);
    CHECK(a.results[i].outcome.message == b.results[i].outcome.message);
    failed += b.results[i].outcome.state == status::fail;
    skipped += b.results[i].outcome.why == reason::check_needs_failed;
  }
  CHECK(failed > 50);
  CHECK(skipped > 0);
}

TEST_CASE("pacing: no more checks start in a millisecond than starts_per_ms") {
  named_outcome_probe p;
  suite s;
  for (int i = 0; i < 30; ++i) s.checks.push_back(make_check(p, "c" + std::to_string(i), "127.0.0.1", nullptr));
  run_options o;
  // One thread: a check's start is queued behind its launch and before the
  // next launch, which the pacer holds back a millisecond, so any two starts
  // two apart are at least a millisecond apart however busy the machine is.
  // (With more threads the hop to a worker can bunch starts that left evenly.)
  o.threads = 1;
  o.starts_per_ms = 1;
  run(s, o);
  REQUIRE(p.starts.size() == 30);
  std::size_t crowded = 0;
  for (std::size_t i = 2; i < p.starts.size(); ++i) crowded += to_ms(p.starts[i] - p.starts[i - 2]) < 0.9;
  CHECK(crowded == 0); // unpaced, all 30 start within microseconds
}

TEST_CASE("lag: a check whose timer fired while another check held the thread records that wait as lag") {
  hogging_probe p;
  suite s;
  s.checks.push_back(make_check(p, "hog", "127.0.0.1", nullptr));
  s.checks.push_back(make_check(p, "victim", "127.0.0.1", nullptr));
  run_options o;
  o.threads = 1;
  const auto r = run(s, o);
  REQUIRE(r.results[1].phases.size() == 1);
  const auto& victim = r.results[1];
  CHECK(victim.phases[0].lag_ms > 50);  // its 30 ms timer ended ~130 ms late, behind the hog
  CHECK(victim.lag_ms == doctest::Approx(victim.phases[0].lag_ms));
  CHECK(r.results[0].phases[0].lag_ms < 50); // the hog itself ran when its own timer fired
}
