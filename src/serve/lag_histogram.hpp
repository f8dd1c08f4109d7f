// How late edgeprobe itself ran, per suite, over every run since serve started:
// each check's lag_ms (the time its completions waited behind other work on its
// thread) as a Prometheus histogram. A rising tail says the host or the
// concurrency is the bottleneck, not the network.
#pragma once
#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace edgeprobe {

class lag_histogram {
public:
  // Upper bounds of the buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 10> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};

  void observe_run(const run_result& run);
  void observe(double seconds);

  // The series of one suite, after a `# TYPE` line the caller writes once.
  void write(std::ostream& out, const std::string& suite) const;

private:
  std::array<std::uint64_t, bounds.size()> counts_{}; // non-cumulative; written cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

} // namespace edgeprobe
