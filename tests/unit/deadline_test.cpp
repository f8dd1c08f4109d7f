// until(): the timer and the operation race; whichever ends first decides, the
// loser is cancelled and awaited, and cancellation of the waiting coroutine
// reaches the operation. Every case asserts on what the operation saw (its
// error code), not on how long anything took.
#include "core/deadline.hpp"

#include <doctest/doctest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <stdexcept>
#include <string>

using namespace edgeprobe;
using namespace std::chrono_literals;

namespace {

constexpr auto long_wait = std::chrono::seconds(30);

// A coroutine standing for a probe's exchange: waits on a timer of its own and
// records how that wait ended.
net::awaitable<int> slow_exchange(std::chrono::steady_clock::duration wait, boost::system::error_code& seen) {
  net::steady_timer t(co_await net::this_coro::executor, wait);
  auto [ec] = co_await t.async_wait(net::as_tuple(net::use_awaitable));
  seen = ec;
  co_return 7;
}

template <class Body> void run_coroutine(Body body) {
  net::io_context io;
  bool finished = false;
  net::co_spawn(io, [&]() -> net::awaitable<void> {
    co_await body();
    finished = true;
  }, net::detached);
  io.run_for(10s); // a bound for a broken until(); the cases end at once
  REQUIRE(finished);
}

} // namespace

TEST_CASE("until: a deferred operation past its deadline is cancelled and gives nullopt") {
  run_coroutine([]() -> net::awaitable<void> {
    net::steady_timer slow(co_await net::this_coro::executor, long_wait);
    auto got = co_await until(clock::now() + 10ms, slow.async_wait(net::deferred));
    CHECK_FALSE(got.has_value());
  });
}

TEST_CASE("until: a deferred operation that ends first gives its error code, and a later wait is untouched") {
  run_coroutine([]() -> net::awaitable<void> {
    net::steady_timer quick(co_await net::this_coro::executor, 1ms);
    auto got = co_await until(clock::now() + long_wait, quick.async_wait(net::deferred));
    REQUIRE(got.has_value());
    CHECK_FALSE(std::get<0>(*got));
    // The first race's timer handler runs after it was settled: it must not
    // cancel whatever the coroutine awaits next.
    net::steady_timer next(co_await net::this_coro::executor, 5ms);
    auto [ec] = co_await next.async_wait(net::as_tuple(net::use_awaitable));
    CHECK_FALSE(ec);
  });
}

TEST_CASE("until: a coroutine past its deadline sees operation_aborted and gives nullopt") {
  run_coroutine([]() -> net::awaitable<void> {
    boost::system::error_code seen;
    auto got = co_await until(clock::now() + 10ms, slow_exchange(long_wait, seen));
    CHECK_FALSE(got.has_value());
    CHECK(seen == net::error::operation_aborted);
  });
}

TEST_CASE("until: a coroutine that ends first gives its value") {
  run_coroutine([]() -> net::awaitable<void> {
    boost::system::error_code seen = net::error::operation_aborted;
    auto got = co_await until(clock::now() + long_wait, slow_exchange(1ms, seen));
    REQUIRE(got.has_value());
    CHECK(*got == 7);
    CHECK_FALSE(seen);
  });
}

TEST_CASE("until: the outer deadline cancels an inner until's operation (the check's guard over a probe's wait)") {
  run_coroutine([]() -> net::awaitable<void> {
    boost::system::error_code seen;
    auto inner = [&]() -> net::awaitable<int> {
      auto got = co_await until(clock::now() + long_wait, slow_exchange(long_wait, seen));
      co_return got ? *got : -1;
    };
    auto got = co_await until(clock::now() + 10ms, inner());
    CHECK_FALSE(got.has_value());
    CHECK(seen == net::error::operation_aborted);
  });
}

TEST_CASE("until: moving the guard timer's expiry (the runner's interrupt) cancels the operation") {
  run_coroutine([]() -> net::awaitable<void> {
    auto executor = co_await net::this_coro::executor;
    net::steady_timer guard(executor, long_wait);
    net::steady_timer interrupt(executor, 10ms);
    interrupt.async_wait([&](boost::system::error_code) { guard.expires_at(clock::time_point::min()); });
    boost::system::error_code seen;
    auto got = co_await until(guard, slow_exchange(long_wait, seen));
    CHECK_FALSE(got.has_value());
    CHECK(seen == net::error::operation_aborted);
  });
}

// As the runner spawns a check: with a cancellation slot of its own, whose
// signal the body's guard emits on.
template <class Body> void run_check_coroutine(Body body) {
  net::io_context io;
  net::cancellation_signal spawned_with;
  bool finished = false;
  net::co_spawn(io, [&]() -> net::awaitable<void> {
    co_await body(spawned_with);
    finished = true;
  }, net::bind_cancellation_slot(spawned_with.slot(), net::detached));
  io.run_for(10s);
  REQUIRE(finished);
}

TEST_CASE("until with the spawn's signal (the check's guard): the operation is cancelled and the coroutine goes on") {
  run_check_coroutine([](net::cancellation_signal& spawned_with) -> net::awaitable<void> {
    auto executor = co_await net::this_coro::executor;
    net::steady_timer guard(executor, 10ms);
    boost::system::error_code seen;
    auto got = co_await until(guard, spawned_with, slow_exchange(long_wait, seen));
    CHECK_FALSE(got.has_value());
    CHECK(seen == net::error::operation_aborted);
    // The next attempt: without the reset, this wait would throw operation_aborted at once.
    guard.expires_after(long_wait);
    boost::system::error_code again;
    auto second = co_await until(guard, spawned_with, slow_exchange(1ms, again));
    REQUIRE(second.has_value());
    CHECK(*second == 7);
    CHECK_FALSE(again);
  });
}

TEST_CASE("until with the spawn's signal: an operation that throws when cancelled, and the runner's interrupt") {
  run_check_coroutine([](net::cancellation_signal& spawned_with) -> net::awaitable<void> {
    auto executor = co_await net::this_coro::executor;
    net::steady_timer guard(executor, long_wait);
    net::steady_timer interrupt(executor, 10ms);
    interrupt.async_wait([&](boost::system::error_code) { guard.expires_at(clock::time_point::min()); });
    auto throwing_wait = []() -> net::awaitable<int> {
      net::steady_timer t(co_await net::this_coro::executor, long_wait);
      co_await t.async_wait(net::use_awaitable); // throws operation_aborted when cancelled
      co_return 1;
    };
    auto got = co_await until(guard, spawned_with, throwing_wait());
    CHECK_FALSE(got.has_value());
  });
}

TEST_CASE("until with the spawn's signal: in time the value, and an exception of the coroutine's own reaches the caller") {
  run_check_coroutine([](net::cancellation_signal& spawned_with) -> net::awaitable<void> {
    net::steady_timer guard(co_await net::this_coro::executor, long_wait);
    boost::system::error_code seen;
    auto got = co_await until(guard, spawned_with, slow_exchange(1ms, seen));
    REQUIRE(got.has_value());
    CHECK(*got == 7);
    CHECK_FALSE(seen);
    auto throwing = []() -> net::awaitable<int> {
      throw std::runtime_error("probe bug");
      co_return 0;
    };
    std::string caught;
    try {
      co_await until(guard, spawned_with, throwing());
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
    CHECK(caught == "probe bug");
  });
}

TEST_CASE("until: an exception from a coroutine that ends in time reaches the caller") {
  run_coroutine([]() -> net::awaitable<void> {
    auto throwing = []() -> net::awaitable<int> {
      throw std::runtime_error("probe bug");
      co_return 0;
    };
    std::string caught;
    try {
      co_await until(clock::now() + long_wait, throwing());
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
    CHECK(caught == "probe bug");
  });
}

TEST_CASE("until: a coroutine returning nothing gives true in time and false past the deadline") {
  run_coroutine([]() -> net::awaitable<void> {
    auto wait = [](std::chrono::milliseconds d) -> net::awaitable<void> {
      net::steady_timer t(co_await net::this_coro::executor, d);
      co_await t.async_wait(net::as_tuple(net::use_awaitable));
    };
    const bool in_time = co_await until(clock::now() + long_wait, wait(1ms));
    const bool late = co_await until(clock::now() + 10ms, wait(long_wait));
    CHECK(in_time);
    CHECK_FALSE(late);
  });
}
