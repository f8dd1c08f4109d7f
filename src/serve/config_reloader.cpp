#include "serve/config_reloader.hpp"

#include "core/duration.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace edgeprobe {

namespace {

// What the reading thread and the waiting one share; the reading thread may
// outlive the waiter (and the reloader), so it is owned by both.
struct pending_load {
  std::mutex mutex;
  std::condition_variable ended;
  std::optional<serve_load_result> result;
  bool abandoned = false;
};

diagnostic refusal(const serve_state& state, std::string message) {
  return {state.config_path().string(), "", 0, 0, std::move(message), ""};
}

} // namespace

config_reloader::config_reloader(serve_state& state, config_loader load)
    : state_(state), load_(load ? std::move(load) : [path = state.config_path()] { return load_serve_config(path); }) {}

std::vector<diagnostic> config_reloader::reload(std::chrono::steady_clock::duration deadline) {
  if (stuck_->load() >= max_stuck) {
    serve_load_result refused;
    refused.errors.push_back(refusal(state_, std::to_string(stuck_->load()) +
                                                 " earlier reloads are still stuck reading their files; restart serve"));
    return state_.apply_reload(std::move(refused));
  }
  auto pending = std::make_shared<pending_load>();
  std::thread([pending, load = load_, stuck = stuck_] {
    auto result = load();
    std::lock_guard lock(pending->mutex);
    if (pending->abandoned) --*stuck;
    pending->result = std::move(result);
    pending->ended.notify_all();
  }).detach();

  std::unique_lock lock(pending->mutex);
  if (!pending->ended.wait_for(lock, deadline, [&] { return pending->result.has_value(); })) {
    pending->abandoned = true;
    ++*stuck_;
    lock.unlock();
    serve_load_result late;
    late.errors.push_back(refusal(
        state_, "the config and its suites were not read within " +
                    format_duration(std::chrono::duration_cast<duration>(deadline)) +
                    " (reload_timeout): a file that blocks, such as a FIFO or a hung network mount?"));
    return state_.apply_reload(std::move(late));
  }
  auto loaded = std::move(*pending->result);
  lock.unlock();
  return state_.apply_reload(std::move(loaded));
}

} // namespace edgeprobe
