// The process exit codes of `run` and `check` (results.md, "Exit codes").
#pragma once
#include "core/result.hpp"

namespace edgeprobe {

enum exit_code : int {
  exit_ok = 0,           // no check failed or errored (warnings allowed unless strict)
  exit_failed = 1,       // a check failed or could not be carried out
  exit_invalid = 2,      // the suite or the command line is invalid
  exit_internal = 3,     // a bug: an internal.error result or an escaped exception
  exit_unwritten = 4,    // a report (stdout or a --report file) could not be written
};

exit_code exit_code_for(const run_result& run, bool strict);

} // namespace edgeprobe
