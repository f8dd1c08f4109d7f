// Writes a result's findings as its evidence: `details.problems` on the check
// and on each address (docs/results.md, "details.problems"). Done once, as a
// result is finished, so every probe has it the same way and redaction and
// every report see it as evidence.
#pragma once
#include "core/result.hpp"

namespace edgeprobe {

// Moves each verdict's findings into its details["problems"] (an empty list
// when there are none); `findings` are left empty.
void write_problems(check_result& r);

} // namespace edgeprobe
