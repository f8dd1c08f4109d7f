// The one timeout helper: every network await in edgeprobe goes through until(),
// so no wait outlives its check's deadline (a 2 s check ends at 2 s, not after
// the OS's SYN retries).
#pragma once
#include "core/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

namespace edgeprobe {

namespace net = boost::asio;

// Runs `op` until it completes or `deadline` passes. On timeout the operation is
// cancelled (per-operation cancellation) and nullopt is returned.
template <class T>
net::awaitable<std::optional<T>> until(clock::time_point deadline, net::awaitable<T> op) {
  using namespace net::experimental::awaitable_operators;
  net::steady_timer timer(co_await net::this_coro::executor, deadline);
  auto winner = co_await (std::move(op) || timer.async_wait(net::as_tuple(net::use_awaitable)));
  if (winner.index() == 0) co_return std::move(std::get<0>(winner));
  co_return std::nullopt;
}

// The same for operations that return nothing: true when `op` finished in time.
inline net::awaitable<bool> until(clock::time_point deadline, net::awaitable<void> op) {
  using namespace net::experimental::awaitable_operators;
  net::steady_timer timer(co_await net::this_coro::executor, deadline);
  auto winner = co_await (std::move(op) || timer.async_wait(net::as_tuple(net::use_awaitable)));
  co_return winner.index() == 0;
}

} // namespace edgeprobe
