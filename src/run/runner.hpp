// Runs a suite: checks spread over one io_context thread per core, bounded
// concurrency, paced starts, the check deadline, retries, fan-out over resolved
// addresses, `needs`, and Ctrl-C.
#pragma once
#include "core/check.hpp"
#include "core/result.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace edgeprobe {

struct run_options {
  std::size_t concurrency = 256;     // checks in flight at once
  std::size_t threads = 0;           // threads running checks; 0: one per core
  std::size_t starts_per_ms = 64;    // checks started per millisecond at most; 0: unpaced
  double timeout_scale = 1.0;        // multiplies every check's timeout
  bool handle_signals = true;        // SIGINT/SIGTERM cancel in-flight checks, report still written
  // Leave probes' evidence parts in the results (core/evidence_part.hpp) for a
  // caller that writes only the JSON document, which writes them directly;
  // otherwise each result's details hold all the evidence as JSON.
  bool compact_evidence = false;
  std::function<void(const check_result&, std::size_t done, std::size_t total)> on_result;
};

// Blocks until every check has a result. Never throws for a network or probe fault:
// those become results (`error` with internal.error for bugs inside a probe).
run_result run_suite(const suite& s, const run_options& options = {});

} // namespace edgeprobe
