// The one timeout helper: every network await in edgeprobe goes through until(),
// so no wait outlives its check's deadline (a 2 s check ends at 2 s, not after
// the OS's SYN retries).
//
// A wait is the operation plus a timer whose handler cancels the operation
// through a cancellation slot of its own. (Asio's `||` did the same with a
// parallel group and two coroutine frames per wait: measurably the largest
// share of edgeprobe's own CPU per tcp check.) Cancellation of the waiting
// coroutine itself, such as the check's guard firing, is passed on to the
// operation, as the parallel group did.
#pragma once
#include "core/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <type_traits>

namespace edgeprobe {

namespace net = boost::asio;

namespace deadline_detail {

// Shared by the waiting coroutine and the timer's handler, which can run after
// the wait has returned (its completion was already queued).
struct race {
  net::cancellation_signal stop;
  bool settled = false; // the operation finished first: the handler does nothing
  bool fired = false;   // the timer won and cancelled the operation
};

// Starts waiting on `timer`. Its completion, whether the expiry passed or
// someone moved the expiry (the runner's interrupt does), cancels the
// operation unless it has already finished: through the race's own signal,
// or through `target` (which must outlive the wait until it is settled).
inline std::shared_ptr<race> arm(net::steady_timer& timer, net::cancellation_signal* target = nullptr) {
  auto state = std::make_shared<race>();
  timer.async_wait([state, target](boost::system::error_code) {
    if (state->settled) return;
    state->fired = true;
    (target ? *target : state->stop).emit(net::cancellation_type::all);
  });
  return state;
}

// While alive, cancellation of the current coroutine is passed on to `state`'s
// operation (the coroutine's own slot is idle while it awaits that operation,
// which is bound to the race's slot instead).
class forward_cancellation {
public:
  forward_cancellation(net::cancellation_slot slot, const std::shared_ptr<race>& state) : slot_(slot) {
    if (slot_.is_connected()) slot_.assign([state](net::cancellation_type type) { state->stop.emit(type); });
  }
  ~forward_cancellation() {
    if (slot_.is_connected()) slot_.clear();
  }
  forward_cancellation(const forward_cancellation&) = delete;
  forward_cancellation& operator=(const forward_cancellation&) = delete;

private:
  net::cancellation_slot slot_;
};

// Ends the race: the timer's wait is cancelled and its handler, queued or not,
// no longer touches the operation.
inline void settle(race& state, net::steady_timer& timer) {
  state.settled = true;
  timer.cancel();
}

template <class T> struct awaited;
template <class T, class E> struct awaited<net::awaitable<T, E>> {
  using type = T;
};

template <class T> constexpr bool is_awaitable = false;
template <class T, class E> constexpr bool is_awaitable<net::awaitable<T, E>> = true;

// What an Asio operation made with `net::deferred` gives to `co_await` once its
// results are gathered in a tuple.
template <class Op>
using tuple_of = typename awaited<std::invoke_result_t<Op&&, decltype(net::as_tuple(net::use_awaitable))>>::type;

} // namespace deadline_detail

// until() of a coroutine that returns nothing is true when it finished in time.
template <class T> using until_result = std::conditional_t<std::is_void_v<T>, bool, std::optional<T>>;

// Runs the coroutine `op` until it completes or `timer` completes, whichever
// is first; the timer's expiry must be set. On the timer's completion `op` is
// cancelled and awaited to its end, then nullopt (false) is returned. The
// check's guard uses this with a timer the runner can move to interrupt a run.
template <class T>
net::awaitable<until_result<T>> until(net::steady_timer& timer, net::awaitable<T> op) {
  auto executor = co_await net::this_coro::executor;
  net::cancellation_state own = co_await net::this_coro::cancellation_state;
  auto state = deadline_detail::arm(timer);
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
  std::exception_ptr failure;
  {
    deadline_detail::forward_cancellation forward(own.slot(), state);
    auto token = net::bind_cancellation_slot(state->stop.slot(), net::use_awaitable);
    try {
      if constexpr (std::is_void_v<T>) co_await net::co_spawn(executor, std::move(op), token);
      else result.emplace(co_await net::co_spawn(executor, std::move(op), token));
    } catch (...) {
      failure = std::current_exception();
    }
  }
  deadline_detail::settle(*state, timer);
  if constexpr (std::is_void_v<T>) {
    if (state->fired) co_return false;
    if (failure) std::rethrow_exception(failure);
    co_return true;
  } else {
    if (state->fired) co_return std::nullopt;
    if (failure) std::rethrow_exception(failure);
    co_return result;
  }
}

// The check's guard: as until(timer, op) above, but `op` runs in the current
// coroutine instead of one spawned for it (one coroutine per check, not two:
// 3 µs of CPU per tcp check on one thread). `spawned_with` must be the
// signal whose slot the current coroutine was spawned with: the timer's
// completion emits it, which cancels whatever `op` is waiting on, and the
// cancellation state is reset before returning, so the caller can go on (a
// retry) as if nothing had been cancelled.
template <class T>
net::awaitable<std::optional<T>> until(net::steady_timer& timer, net::cancellation_signal& spawned_with,
                                       net::awaitable<T> op) {
  auto state = deadline_detail::arm(timer, &spawned_with);
  std::optional<T> result;
  std::exception_ptr failure;
  try {
    result.emplace(co_await std::move(op));
  } catch (...) {
    failure = std::current_exception(); // after the guard fired: the cancelled operation's operation_aborted
  }
  deadline_detail::settle(*state, timer);
  if (state->fired) {
    co_await net::this_coro::reset_cancellation_state();
    co_return std::nullopt;
  }
  if (failure) std::rethrow_exception(failure);
  co_return result;
}

// Runs `op` until it completes or `deadline` passes. On timeout the operation is
// cancelled (per-operation cancellation) and nullopt (false) is returned. `op`
// is a coroutine; for an Asio operation pass it made with `net::deferred`
// (below): it then needs no coroutine frame of its own.
template <class T>
net::awaitable<until_result<T>> until(clock::time_point deadline, net::awaitable<T> op) {
  net::steady_timer timer(co_await net::this_coro::executor, deadline);
  co_return co_await until(timer, std::move(op));
}

// An Asio operation made with `net::deferred`, such as
// `socket.async_connect(remote, net::deferred)`: its results as a tuple (the
// error code first), or nullopt when the deadline passed first.
template <class Op>
  requires(!deadline_detail::is_awaitable<std::decay_t<Op>>)
net::awaitable<std::optional<deadline_detail::tuple_of<std::decay_t<Op>>>> until(clock::time_point deadline, Op&& op) {
  net::steady_timer timer(co_await net::this_coro::executor, deadline);
  net::cancellation_state own = co_await net::this_coro::cancellation_state;
  auto state = deadline_detail::arm(timer);
  std::optional<deadline_detail::tuple_of<std::decay_t<Op>>> result;
  {
    deadline_detail::forward_cancellation forward(own.slot(), state);
    result.emplace(co_await std::move(op)(net::bind_cancellation_slot(state->stop.slot(), net::as_tuple(net::use_awaitable))));
  }
  deadline_detail::settle(*state, timer);
  if (state->fired) result.reset();
  co_return result;
}

} // namespace edgeprobe
