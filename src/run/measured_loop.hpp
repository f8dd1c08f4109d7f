// Runs an io_context the way io_context::run() does, telling loop_lag when the
// loop goes idle and after each handler, so phases can tell the network's time
// from the time a completion waited behind other handlers on this thread.
#pragma once
#include <boost/asio/io_context.hpp>

namespace edgeprobe {

// Returns when `io` runs out of work or is stopped.
void run_measured(boost::asio::io_context& io);

} // namespace edgeprobe
