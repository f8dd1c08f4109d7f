// What serve's endpoint reads and SIGHUP replaces: the configuration, its
// scheduler and its users, swapped as one. A reload that does not load keeps
// everything running as it was and says why.
#pragma once
#include "serve/basic_auth.hpp"
#include "serve/serve_config.hpp"
#include "serve/suite_scheduler.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

namespace edgeprobe {

struct serve_generation {
  std::shared_ptr<const serve_config> config;
  std::shared_ptr<suite_scheduler> scheduler;
  std::shared_ptr<basic_auth> auth;
};

struct reload_record {
  std::uint64_t succeeded = 0, failed = 0;
  bool last_ok = true;
  std::chrono::system_clock::time_point last_success = std::chrono::system_clock::now();
};

class serve_state {
public:
  serve_state(std::filesystem::path config_path, serve_config initial);
  ~serve_state();

  // Starts the schedule. serve calls it once its endpoint is bound, so that a
  // suite that checks serve itself does not find it closed on the first run.
  void start();

  serve_generation current() const;
  const std::filesystem::path& config_path() const { return path_; }
  // A reload's outcome (config_reloader reads the files, with a deadline). A
  // config: applied (the old scheduler is stopped first, so no suite runs twice
  // at once); empty errors returned. Otherwise the failure is counted, the
  // running configuration is untouched and the errors come back. Changes to
  // `listen` take effect on restart.
  std::vector<diagnostic> apply_reload(serve_load_result loaded);
  reload_record reloads() const;
  void stop();

  const std::chrono::system_clock::time_point started = std::chrono::system_clock::now();

private:
  std::filesystem::path path_;
  mutable std::mutex mutex_;
  std::mutex reloading_; // one reload at a time
  serve_generation current_;
  reload_record reloads_;
};

} // namespace edgeprobe
