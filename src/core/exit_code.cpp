#include "core/exit_code.hpp"

namespace edgeprobe {

exit_code exit_code_for(const run_result& run, bool strict) {
  bool failed = false;
  for (const auto& r : run.results) {
    if (r.outcome.state == status::error && r.outcome.why == reason::internal_error) return exit_internal;
    if (r.outcome.state == status::fail || r.outcome.state == status::error) failed = true;
    if (strict && r.outcome.state == status::warn) failed = true;
  }
  return failed ? exit_failed : exit_ok;
}

} // namespace edgeprobe
