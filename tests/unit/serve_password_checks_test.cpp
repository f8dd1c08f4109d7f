// serve's hashing threads: checks run off the caller's thread, at most
// threads + max_waiting at once, the rest refused at once.
#include "serve/password_checks.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

using namespace edgeprobe;
using namespace std::chrono_literals;

TEST_SUITE("serve") {

TEST_CASE("serve password checks: run on another thread, a full line refuses at once, answers arrive") {
  password_checks checks(1, 1);
  std::promise<void> release;
  auto released = release.get_future().share();
  const auto caller = std::this_thread::get_id();
  std::atomic<int> allowed{0}, refused{0};
  std::atomic<bool> ran_elsewhere{true};
  auto blocking = [&, released](bool answer) {
    return [&, released, answer] {
      if (std::this_thread::get_id() == caller) ran_elsewhere = false;
      released.wait();
      return answer;
    };
  };
  auto count = [&](bool ok) { ++(ok ? allowed : refused); };
  CHECK(checks.submit(blocking(true), count));  // running
  std::this_thread::sleep_for(50ms);            // let the thread take it off the line
  CHECK(checks.submit(blocking(false), count)); // waiting
  CHECK_FALSE(checks.submit(blocking(true), count)); // the line (1) is full
  release.set_value();
  for (int i = 0; i < 200 && allowed + refused < 2; ++i) std::this_thread::sleep_for(10ms);
  CHECK(allowed == 1);
  CHECK(refused == 1);
  CHECK(ran_elsewhere);
  CHECK(checks.submit([] { return true; }, count)); // room again
}

} // TEST_SUITE
