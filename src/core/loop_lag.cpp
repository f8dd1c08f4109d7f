#include "core/loop_lag.hpp"

namespace edgeprobe::loop_lag {

namespace {

// Per thread: each worker runs its own io_context, and a busy stretch is one
// thread's.
thread_local bool measured = false;
thread_local bool idle = true;
thread_local clock::time_point busy_since;

// The first handler after an idle moment starts the stretch; the loop cannot
// see when epoll_wait returned, so the stretch begins when the first handler
// asks (or ends), which misses only that handler's own running time.
void start_if_idle() {
  if (!idle) return;
  idle = false;
  busy_since = clock::now();
}

} // namespace

void loop_went_idle() {
  measured = true;
  idle = true;
}

void handler_ran() {
  if (measured) start_if_idle();
}

double busy_ms() {
  if (!measured) return 0;
  start_if_idle();
  return to_ms(clock::now() - busy_since);
}

} // namespace edgeprobe::loop_lag
