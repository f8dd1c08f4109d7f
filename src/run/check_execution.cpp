#include "run/check_execution.hpp"

#include "core/deadline.hpp"
#include "core/probe.hpp"
#include "run/address_verdict.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include <exception>

namespace edgeprobe {

namespace {

// How long after the deadline the runner stops waiting for a probe that
// overruns it. Probes pass the deadline to until() and should never need it.
constexpr auto grace = std::chrono::milliseconds(50);

// One attempt at the whole check.
struct attempt {
  verdict outcome;
  std::vector<phase> phases;
  std::vector<address_result> addresses;
  nlohmann::json details = nlohmann::json::object();
};

verdict fault(const check_spec& check, std::string_view what) {
  verdict v;
  v.raise(status::error, reason::internal_error,
          "the " + std::string(check.prober->name()) + " probe failed internally: " + std::string(what));
  return v;
}

// Runs the probe; a thrown exception is a bug in the probe, contained here.
net::awaitable<verdict> run_probe(probe_context& ctx) {
  std::string what;
  try {
    co_return co_await ctx.check.prober->run(ctx);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  co_return fault(ctx.check, what);
}

net::awaitable<address_result> run_address(const check_spec& check, net::ip::address address,
                                           clock::time_point origin, clock::time_point deadline,
                                           resolver& dns) {
  address_result out;
  out.address = address.to_string();
  out.port = check.target.port;
  phase_log phases(origin);
  probe_context ctx{co_await net::this_coro::executor, check, address, check.target.port, deadline, phases, dns};
  out.outcome = co_await run_probe(ctx);
  out.phases = phases.take();
  co_return out;
}

// run_address contains probe faults; an exception out of it is ours.
address_result outside_fault(const check_spec& check, const net::ip::address& address) {
  address_result out;
  out.address = address.to_string();
  out.port = check.target.port;
  out.outcome = fault(check, "exception outside the probe");
  return out;
}

// Every address at once; each result in the addresses' order.
net::awaitable<std::vector<address_result>> run_addresses(const check_spec& check,
                                                          const std::vector<net::ip::address>& addresses,
                                                          clock::time_point origin, clock::time_point deadline,
                                                          resolver& dns) {
  auto executor = co_await net::this_coro::executor;
  using address_op = decltype(net::co_spawn(executor, std::declval<net::awaitable<address_result>>(), net::deferred));
  std::vector<address_op> ops;
  for (const auto& address : addresses)
    ops.push_back(net::co_spawn(executor, run_address(check, address, origin, deadline, dns), net::deferred));
  auto [order, exceptions, results] = co_await net::experimental::make_parallel_group(std::move(ops))
                                          .async_wait(net::experimental::wait_for_all(), net::use_awaitable);
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (exceptions[i]) results[i] = outside_fault(check, addresses[i]);
  }
  co_return std::move(results);
}

// Resolves the target through the check's resolver; IP literals need no query.
net::awaitable<std::vector<net::ip::address>> resolve_target(const check_spec& check, resolver& dns,
                                                             clock::time_point deadline, phase_log& phases,
                                                             attempt& a) {
  boost::system::error_code ec;
  const auto literal = net::ip::make_address(check.target.host, ec);
  if (!ec) co_return std::vector<net::ip::address>{literal};

  auto timing = phases.begin("dns");
  host_lookup lookup = co_await dns.lookup_host(check.target.host, check.family, deadline);
  if (lookup.arrived) timing.end_arrived(*lookup.arrived);
  timing.end();
  auto listed = nlohmann::json::array();
  for (const auto& address : lookup.addresses) listed.push_back(address.to_string());
  a.details["dns"] = {{"name", check.target.host}, {"resolver", lookup.resolver_used}, {"addresses", listed}};
  if (lookup.addresses.empty())
    a.outcome.raise(status::fail, lookup.why == reason::none ? reason::dns_no_address : lookup.why,
                    lookup.message.empty() ? check.target.host + " has no address" : lookup.message);
  co_return lookup.addresses;
}

net::awaitable<attempt> run_attempt(const check_spec& check, resolver_pool& resolvers, phase_log& phases,
                                    clock::time_point deadline) {
  attempt a;
  auto executor = co_await net::this_coro::executor;
  resolver* dns = nullptr;
  try {
    dns = &resolvers.get(check.resolver);
  } catch (const std::exception& e) {
    a.outcome.raise(status::error, reason::config_invalid, std::string("resolver: ") + e.what());
    co_return a;
  }

  if (!check.prober->per_address()) {
    probe_context ctx{executor, check, std::nullopt, check.target.port, deadline, phases, *dns};
    a.outcome = co_await run_probe(ctx);
    a.details = std::move(a.outcome.details);
    a.outcome.details = nlohmann::json::object();
    a.phases = phases.take();
    co_return a;
  }

  auto addresses = co_await resolve_target(check, *dns, deadline, phases, a);
  if (addresses.empty()) {
    a.phases = phases.take();
    co_return a;
  }
  if (check.addresses == address_mode::first) addresses.resize(1);

  std::vector<address_result> results;
  if (addresses.size() == 1) {
    // Most checks have one address: awaited directly, without a parallel
    // group's coroutine, cancellation slots and vectors around it.
    try {
      results.push_back(co_await run_address(check, addresses.front(), phases.origin(), deadline, *dns));
    } catch (const std::exception&) {
      results.push_back(outside_fault(check, addresses.front()));
    }
  } else {
    results = co_await run_addresses(check, addresses, phases.origin(), deadline, *dns);
  }
  a.addresses = std::move(results);
  auto [combined, decider] = combine_addresses(a.addresses, check.addresses);
  a.outcome = std::move(combined);
  a.phases = phases.take();
  const auto& decider_phases = a.addresses[decider].phases;
  a.phases.insert(a.phases.end(), decider_phases.begin(), decider_phases.end());
  co_return a;
}

// The phase that was still running when the guard fired: the attempt's
// coroutine has unwound by then (ending its phases), so it is the one that ended last.
std::string unfinished_phase(const phase_log& phases, clock::time_point fired) {
  if (phases.entries().empty()) return "";
  const auto& last = phases.entries().back();
  if (last.start_ms + last.duration_ms + 1.0 < to_ms(fired - phases.origin())) return "";
  return " (in phase " + last.name + ")";
}

} // namespace

net::awaitable<check_result> check_execution::run() {
  check_result r;
  r.name = check.name;
  r.probe = std::string(check.prober->name());
  r.target = check.target.text;
  r.tags = check.tags;
  const auto started = clock::now();
  r.started_ms = to_ms(started - run_start);

  const auto timeout = std::chrono::duration_cast<clock::duration>(check.timeout * timeout_scale);
  std::optional<attempt> kept;
  nlohmann::json history; // null until an attempt is recorded: push_back makes it an array
  while (r.attempts <= check.retries && !cancelled) {
    ++r.attempts;
    phase_log phases(clock::now());
    const auto deadline = phases.origin() + timeout;
    guard.expires_at(deadline + grace);
    auto finished = co_await until(guard, spawned_with, run_attempt(check, resolvers, phases, deadline));
    attempt a;
    if (finished) {
      a = std::move(*finished);
    } else {
      const auto now = clock::now();
      if (cancelled)
        a.outcome.raise(status::error, reason::check_cancelled,
                        "interrupted after " + std::to_string(std::lround(to_ms(now - phases.origin()))) +
                            " ms, before the check finished" + unfinished_phase(phases, now));
      else
        a.outcome.raise(status::fail, reason::check_timeout,
                        "no result within the " + format_duration(std::chrono::duration_cast<duration>(timeout)) +
                            " deadline" + unfinished_phase(phases, now));
      a.phases = phases.take();
    }
    // Only a check that may retry can report its attempts: the others skip
    // building (and freeing) a JSON object per check.
    if (check.retries > 0)
      history.push_back({{"status", to_string(a.outcome.state)},
                         {"reason", code(a.outcome.why)},
                         {"duration_ms", to_ms(clock::now() - phases.origin())}});
    const bool holds = a.outcome.state == status::pass || a.outcome.state == status::warn;
    // A later success wins; among failures the first explains best (later
    // attempts often fail only as a symptom of the first cause).
    if (holds || !kept) kept = std::move(a);
    if (holds) break;
  }

  r.duration_ms = to_ms(clock::now() - started);
  if (!kept) { // cancelled before the first attempt
    r.outcome.raise(status::skip, reason::check_cancelled, "not run: the run was interrupted");
    co_return r;
  }
  r.outcome = std::move(kept->outcome);
  r.phases = std::move(kept->phases);
  for (const auto& p : r.phases) r.lag_ms += p.lag_ms;
  r.addresses = std::move(kept->addresses);
  r.outcome.details = std::move(kept->details);
  if (r.attempts > 1) r.outcome.details["attempts"] = std::move(history);
  co_return r;
}

} // namespace edgeprobe
