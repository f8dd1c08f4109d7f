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

// A check to start and what to call with its result (or nullopt if the runner
// itself failed: a probe's fault is a result). `done` is called on the
// thread the check ran on.
struct check_job {
  const check_spec* check = nullptr;
  std::function<void(std::optional<check_result>)> done;
};

class check_threads {
public:
  // `count` workers: the first runs on `control`, the caller's loop (run_here()),
  // which is also where the run is scheduled; each of the others on a thread
  // and io_context of its own. One thread in all is then a single io_context
  // program, and N threads are N, not N plus a scheduler's.
  check_threads(net::io_context& control, std::size_t count);
  ~check_threads();
  check_threads(const check_threads&) = delete;
  check_threads& operator=(const check_threads&) = delete;

  // Starts `jobs`, round-robin over the workers; called on the control thread.
  // Each other thread is handed its share in one post: a wake-up per batch,
  // not per check.
  void run(std::vector<check_job> jobs, clock::time_point run_start, double timeout_scale,
           const std::atomic<bool>& cancelled);

  // Ends every running check's current attempt now (Ctrl-C); callable from any thread.
  void cancel_all();

  // Runs the control loop (and the first worker's checks) on the calling
  // thread until it stops.
  void run_here();

  // Stops the threads and waits for them.
  void stop();

  struct worker; // one thread's loop and what its checks use (check_threads.cpp)

private:
  std::vector<std::unique_ptr<worker>> workers_;
  std::size_t next_ = 0;
};

} // namespace edgeprobe
