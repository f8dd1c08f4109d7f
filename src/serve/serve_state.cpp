#include "serve/serve_state.hpp"

namespace edgeprobe {

namespace {

serve_generation make_generation(serve_config config, const std::vector<suite_snapshot>& carried) {
  serve_generation g;
  g.config = std::make_shared<const serve_config>(std::move(config));
  g.scheduler = std::make_shared<suite_scheduler>(g.config, carried);
  g.auth = std::make_shared<basic_auth>(g.config->users);
  return g;
}

} // namespace

serve_state::serve_state(std::filesystem::path config_path, serve_config initial)
    : path_(std::move(config_path)), current_(make_generation(std::move(initial), {})) {}

void serve_state::start() { current().scheduler->start(); }

serve_state::~serve_state() { stop(); }

serve_generation serve_state::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

reload_record serve_state::reloads() const {
  std::lock_guard lock(mutex_);
  return reloads_;
}

std::vector<diagnostic> serve_state::apply_reload(serve_load_result loaded) {
  std::lock_guard one_at_a_time(reloading_);
  if (!loaded.config) {
    std::lock_guard lock(mutex_);
    ++reloads_.failed;
    reloads_.last_ok = false;
    return loaded.errors;
  }
  const auto old = current();
  // Stop before starting: a suite's run in progress ends before its successor's
  // first, and its result carries over. Until then the old generation answers.
  old.scheduler->stop();
  auto next = make_generation(std::move(*loaded.config), old.scheduler->snapshot());
  next.scheduler->start();
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
  ++reloads_.succeeded;
  reloads_.last_ok = true;
  reloads_.last_success = std::chrono::system_clock::now();
  return {};
}

void serve_state::stop() {
  const auto g = current();
  if (g.scheduler) g.scheduler->stop();
}

} // namespace edgeprobe
