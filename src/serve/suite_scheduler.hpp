// Runs serve's configured suites on their intervals. Each suite has one thread
// and so at most one run at a time: a slot that comes while the previous run is
// still going is skipped, and /probe joins the run in progress instead of
// starting a second. Only each suite's latest result is kept, so memory does not
// grow with uptime.
#pragma once
#include "core/result.hpp"
#include "serve/lag_histogram.hpp"
#include "serve/serve_config.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace edgeprobe {

using run_handler = std::function<void(std::shared_ptr<const run_result>)>;

struct suite_snapshot {
  std::string name;
  std::shared_ptr<const run_result> last; // null until the first run ends
  std::uint64_t runs = 0;                 // runs ended since serve started
  lag_histogram lag;                      // every run's checks since serve started
};

// The runs that have ended, one per suite, for the reporters (which take run_result pointers).
std::vector<const run_result*> latest_runs(const std::vector<suite_snapshot>& suites);

class suite_scheduler {
public:
  // `carried`: an earlier scheduler's snapshot (a reload). Suites of the same
  // name keep their latest result and run count, so the metrics neither go empty
  // nor count backwards.
  suite_scheduler(std::shared_ptr<const serve_config> config, const std::vector<suite_snapshot>& carried = {});
  ~suite_scheduler(); // stop() and join
  suite_scheduler(const suite_scheduler&) = delete;
  suite_scheduler& operator=(const suite_scheduler&) = delete;

  void start();
  // Ends the schedule: runs in progress finish (their checks have deadlines),
  // waiting /probe requests get the latest result. Blocks until every thread ends.
  void stop();

  // Runs `name` now, or joins its run in progress; `done` is called on the suite's
  // thread with the redacted result. False when no suite has that name.
  bool run_now(const std::string& name, run_handler done);

  std::vector<suite_snapshot> snapshot() const;
  // Checks of runs in progress that have not ended yet.
  std::size_t checks_in_flight() const { return checks_in_flight_.load(); }

private:
  struct worker;
  void loop(worker& w);
  std::shared_ptr<const run_result> run_once(worker& w);

  std::shared_ptr<const serve_config> config_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::atomic<std::size_t> checks_in_flight_{0};
};

} // namespace edgeprobe
