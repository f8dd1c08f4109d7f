// The threads that run checks: one io_context each, with its own resolvers, so
// nothing a check touches is shared between threads but the suite (read-only)
// and each check's configuration (used by one check at a time). Checks are
// handed out round-robin; a check stays on its thread from start to result.
#pragma once
#include "core/check.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

class check_threads {
public:
  // `shared` set: one worker on that io_context, run by the caller through
  // run_here(). Null: `count` threads, each with an io_context of its own.
  check_threads(net::io_context* shared, std::size_t count);
  ~check_threads();
  check_threads(const check_threads&) = delete;
  check_threads& operator=(const check_threads&) = delete;

  // Starts `check` on the next thread. `done` is called on that thread with the
  // result, or nullopt if the runner itself failed (a probe's fault is a result).
  void run(const check_spec& check, clock::time_point run_start, double timeout_scale,
           const std::atomic<bool>& cancelled, std::function<void(std::optional<check_result>)> done);

  // Ends every running check's current attempt now (Ctrl-C); callable from any thread.
  void cancel_all();

  // Shared mode: runs the shared io_context on the calling thread until it stops.
  void run_here();

  // Stops the threads and waits for them.
  void stop();

  struct worker; // one thread's loop and what its checks use (check_threads.cpp)

private:
  std::vector<std::unique_ptr<worker>> workers_;
  std::size_t next_ = 0;
};

} // namespace edgeprobe
