// Where serve checks passwords: a few threads of their own, never the HTTP
// endpoint's I/O thread, so wrong passwords (each up to a second of bcrypt)
// cannot slow down /healthz or a scrape whose credentials are remembered. The
// work is bounded: at most `threads` hashes at once and `max_waiting` more in
// line; beyond that a check is refused at once (serve answers 503).
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace edgeprobe {

class password_checks {
public:
  // The threads run at a lower priority (nice +10) than serve's I/O and checks.
  password_checks(std::size_t threads, std::size_t max_waiting);
  ~password_checks(); // the checks in line are dropped, the running ones end first
  password_checks(const password_checks&) = delete;
  password_checks& operator=(const password_checks&) = delete;

  // Runs `check` on one of the threads, then `done` with its answer (there too).
  // False, and neither is called, when the line is full.
  bool submit(std::function<bool()> check, std::function<void(bool)> done);

  // Hashing threads for this machine: half the cores, at least one, so the
  // other half stays for serving and for the checks.
  static std::size_t default_threads();

private:
  struct job {
    std::function<bool()> check;
    std::function<void(bool)> done;
  };
  void work();

  std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> line_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace edgeprobe
