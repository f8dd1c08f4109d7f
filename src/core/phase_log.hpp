// Records the phases of one check or one address (dns, connect, tls, ...), timed
// from the check's start.
#pragma once
#include "core/clock.hpp"
#include "core/loop_lag.hpp"
#include "core/result.hpp"

#include <algorithm>
#include <optional>
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
    // Ends now; the lag is the event loop's busy time (loop_lag.hpp).
    void end() {
      if (log_) log_->finish(index_, std::nullopt);
      log_ = nullptr;
    }
    // Ends now, the kernel having measured the network's part (a TCP
    // handshake's RTT): the rest of the phase is edgeprobe's own.
    void end_with_network(double network_ms) {
      if (log_) log_->finish(index_, network_ms);
      log_ = nullptr;
    }
    // Ends now, for an answer the kernel stamped on arrival: the phase's network
    // time runs to `arrived`, and everything after it was edgeprobe's queue.
    void end_arrived(clock::time_point arrived) {
      if (log_) log_->finish_arrived(index_, arrived);
      log_ = nullptr;
    }

  private:
    phase_log* log_;
    std::size_t index_;
  };

  [[nodiscard]] scope begin(std::string name) {
    phase p;
    p.name = std::move(name);
    p.start_ms = to_ms(clock::now() - origin_);
    entries_.push_back(std::move(p));
    return scope(*this, entries_.size() - 1);
  }

  const std::vector<phase>& entries() const { return entries_; }
  std::vector<phase> take() { return std::move(entries_); }
  clock::time_point origin() const { return origin_; }

private:
  void finish(std::size_t index, std::optional<double> network_ms) {
    auto& p = entries_[index];
    p.duration_ms = to_ms(clock::now() - origin_) - p.start_ms;
    p.network_ms = network_ms;
    p.lag_ms = network_ms ? std::max(0.0, p.duration_ms - *network_ms) : std::min(p.duration_ms, loop_lag::busy_ms());
  }
  void finish_arrived(std::size_t index, clock::time_point arrived) {
    const auto now = clock::now();
    auto& p = entries_[index];
    p.duration_ms = to_ms(now - origin_) - p.start_ms;
    p.lag_ms = std::clamp(to_ms(now - arrived), 0.0, p.duration_ms);
    p.network_ms = p.duration_ms - p.lag_ms;
  }

  clock::time_point origin_;
  std::vector<phase> entries_;
};

} // namespace edgeprobe
