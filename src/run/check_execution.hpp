// Runs one check to its result: attempts and retries, resolving the target,
// fan-out over its addresses, and the verdict built from them.
#pragma once
#include "core/check.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "run/resolver_pool.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>

namespace edgeprobe {

struct check_execution {
  const check_spec& check;
  resolver_pool& resolvers;
  clock::time_point run_start;
  double timeout_scale = 1.0;
  // The runner's handle on this check: each attempt arms it for its deadline plus
  // a grace period; on Ctrl-C the runner sets `cancelled` and expires it at once.
  net::steady_timer& guard;
  // The signal run() was spawned with: the guard emits it to cancel an attempt.
  net::cancellation_signal& spawned_with;
  const std::atomic<bool>& cancelled;

  // Never throws: a fault inside a probe becomes an `error` result.
  net::awaitable<check_result> run();
};

} // namespace edgeprobe
