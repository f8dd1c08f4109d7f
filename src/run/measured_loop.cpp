#include "run/measured_loop.hpp"

#include "core/loop_lag.hpp"

namespace edgeprobe {

void run_measured(boost::asio::io_context& io) {
  for (;;) {
    // poll_one runs a handler that is ready (or polls the reactor without
    // blocking); only when nothing is ready is the loop idle, and the handler
    // run_one then waits for begins a new busy stretch.
    if (io.poll_one()) {
      loop_lag::handler_ran();
      continue;
    }
    if (io.stopped()) return;
    loop_lag::loop_went_idle();
    if (!io.run_one()) return;
    loop_lag::handler_ran();
  }
}

} // namespace edgeprobe
