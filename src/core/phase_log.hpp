// Records the phases of one check or one address (dns, connect, tls, ...), timed
// from the check's start.
#pragma once
#include "core/clock.hpp"
#include "core/result.hpp"

#include <string>
#include <vector>

namespace edgeprobe {

class phase_log {
public:
  explicit phase_log(clock::time_point origin) : origin_(origin) {}

  // Ends the phase when end() is called or the object is destroyed.
  class scope {
  public:
    scope(phase_log& log, std::size_t index) : log_(&log), index_(index) {}
    scope(scope&& other) noexcept : log_(other.log_), index_(other.index_) { other.log_ = nullptr; }
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;
    scope& operator=(scope&&) = delete;
    ~scope() { end(); }
    void end() {
      if (log_) log_->finish(index_);
      log_ = nullptr;
    }

  private:
    phase_log* log_;
    std::size_t index_;
  };

  [[nodiscard]] scope begin(std::string name) {
    entries_.push_back({std::move(name), to_ms(clock::now() - origin_), 0});
    return scope(*this, entries_.size() - 1);
  }

  const std::vector<phase>& entries() const { return entries_; }
  std::vector<phase> take() { return std::move(entries_); }
  clock::time_point origin() const { return origin_; }

private:
  void finish(std::size_t index) {
    entries_[index].duration_ms = to_ms(clock::now() - origin_) - entries_[index].start_ms;
  }

  clock::time_point origin_;
  std::vector<phase> entries_;
};

} // namespace edgeprobe
