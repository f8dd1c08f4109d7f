// SIGHUP's reload with a deadline. Reading the config and its suites can block
// for good (a suite file replaced by a FIFO, a hung network mount), so it runs
// on a thread of its own and is waited for at most the running config's
// `reload_timeout`: a read that has not ended by then is a failed reload (the
// running configuration stays, the metric says 0), and its thread is left to
// end whenever it does, its result thrown away.
#pragma once
#include "serve/serve_state.hpp"

#include <atomic>
#include <functional>
#include <memory>

namespace edgeprobe {

using config_loader = std::function<serve_load_result()>;

class config_reloader {
public:
  // `load`: reads the config and its suites; by default load_serve_config(state.config_path()).
  explicit config_reloader(serve_state& state, config_loader load = {});

  // Loads (within `deadline`) and applies; the errors when it is refused, as serve_state::apply_reload.
  std::vector<diagnostic> reload(std::chrono::steady_clock::duration deadline);

  // Reads that missed their deadline and have not ended yet.
  std::size_t stuck() const { return stuck_->load(); }
  // At most this many stuck reads: another reload is refused at once rather
  // than leave one more thread behind.
  static constexpr std::size_t max_stuck = 4;

private:
  serve_state& state_;
  config_loader load_;
  std::shared_ptr<std::atomic<std::size_t>> stuck_ = std::make_shared<std::atomic<std::size_t>>(0);
};

} // namespace edgeprobe
