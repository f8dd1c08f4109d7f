// The result tree: run → checks → addresses → phases. A parent's status is its
// worst child's (Monitoring Plugins' model).
#pragma once
#include "core/clock.hpp"
#include "core/evidence_part.hpp"
#include "core/finding.hpp"
#include "core/reasons.hpp"
#include "core/status.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct phase {
  std::string name;       // dns, connect, tls, request, ...
  double start_ms = 0;    // relative to the check's start
  double duration_ms = 0; // wall time, start to end
  // The network's share where the kernel can tell (tcpi_rtt for a handshake, a
  // receive timestamp for a UDP answer); unset elsewhere.
  std::optional<double> network_ms = std::nullopt;
  // edgeprobe's own share: how late it ran after the network had answered
  // (exact with a kernel time, else an upper bound from its event loop).
  double lag_ms = 0;
};

// What a probe concluded. Probes build one per address (or one per check for
// probes that do not connect); the runner adds timing and identity.
struct verdict {
  status state = status::pass;
  reason why = reason::none;
  std::string message;
  std::string hint;        // empty: the reason's standard hint
  nlohmann::json details = nlohmann::json::object();
  // More of the details, kept as a probe's struct (evidence_part.hpp); empty
  // once materialize_evidence has added it to `details`.
  std::shared_ptr<const evidence_part> part;
  // Every warn, fail and error raised, in order, the one that became `why`
  // included: a later, worse failure must not hide what was found before it.
  // The runner moves them into details.problems (run/problems.hpp), where
  // redaction and every report see them.
  std::vector<finding> findings;

  // Records a finding in `findings`; state, why and message keep the most
  // severe one (the first at equal severity), because the first cause
  // explains the later symptoms.
  void raise(status s, reason r, std::string msg);
  bool passed() const { return state == status::pass; }
};

struct address_result {
  std::string address;
  std::uint16_t port = 0;
  verdict outcome;
  std::vector<phase> phases;
};

struct check_result {
  std::string name;
  std::string probe;
  std::string target;
  std::vector<std::string> tags;
  verdict outcome;           // the check's status, reason, message, hint, details
  double started_ms = 0;     // relative to the run's start
  double duration_ms = 0;
  int attempts = 0;
  double lag_ms = 0;         // the phases' lag_ms, summed: time spent in edgeprobe's own queue
  std::vector<phase> phases;
  std::vector<address_result> addresses;
};

// Adds every verdict's evidence part to its details, for readers that want
// all the evidence as JSON (every reporter but the JSON document's writer).
void materialize_evidence(verdict& v);
void materialize_evidence(check_result& r);

struct run_summary {
  int total = 0, pass = 0, warn = 0, fail = 0, error = 0, skip = 0;
};

struct run_result {
  std::string suite;
  std::chrono::system_clock::time_point started_at;
  double duration_ms = 0;
  std::vector<check_result> results;

  status overall() const;
  run_summary summary() const;
};

void materialize_evidence(run_result& run);

} // namespace edgeprobe
