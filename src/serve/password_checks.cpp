#include "serve/password_checks.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace edgeprobe {

namespace {

// Linux gives each thread its own nice value; a failure (a seccomp profile,
// say) only leaves the thread at the process's priority.
void lower_this_threads_priority() { ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10); }

} // namespace

password_checks::password_checks(std::size_t threads, std::size_t max_waiting) : max_waiting_(max_waiting) {
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) threads_.emplace_back([this] { work(); });
}

password_checks::~password_checks() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    line_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

std::size_t password_checks::default_threads() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency() / 2);
}

bool password_checks::submit(std::function<bool()> check, std::function<void(bool)> done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || line_.size() >= max_waiting_) return false;
    line_.push_back({std::move(check), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void password_checks::work() {
  lower_this_threads_priority();
  for (;;) {
    job next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !line_.empty(); });
      if (stopping_) return;
      next = std::move(line_.front());
      line_.pop_front();
    }
    next.done(next.check());
  }
}

} // namespace edgeprobe
