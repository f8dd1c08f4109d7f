// How late the code running now started, as far as this thread's event loop can
// tell: the time since the loop last found nothing to do. A burst of completions
// is run one handler after another, so the last of 256 waits for the 255 before
// it; that wait is edgeprobe's own queue, not the network's time, and phases
// record it apart (phase::lag_ms).
//
// An upper bound: an I/O that completed in the middle of a busy stretch is
// charged from the stretch's start. Where the kernel stamps an arrival (UDP
// receive timestamps, tcpi_rtt) the phase uses that instead.
#pragma once
#include "core/clock.hpp"

namespace edgeprobe::loop_lag {

// Called by a measured run loop on its own thread: nothing was ready to run.
void loop_went_idle();
// Called by a measured run loop after each handler it ran.
void handler_ran();
// Milliseconds since the current busy stretch began; 0 on a thread whose loop
// is not measured (a test driving io_context::run itself).
double busy_ms();

} // namespace edgeprobe::loop_lag
