// Test fixture: a udp_responder serving on its own thread and io_context, so a
// probe can run on the test thread (the runner blocks it) against it.
#pragma once
#include "probes/udp/responder.hpp"

#include <boost/asio/io_context.hpp>

#include <thread>

namespace edgeprobe::test {

class udp_responder_thread {
public:
  explicit udp_responder_thread(net::ip::udp::endpoint bind, udp_responder_options options = {})
      : responder_(io_.get_executor(), bind, std::move(options)) {
    responder_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~udp_responder_thread() {
    responder_.stop(); // the serving loop ends, run() runs out of work
    thread_.join();
  }
  udp_responder_thread(const udp_responder_thread&) = delete;
  udp_responder_thread& operator=(const udp_responder_thread&) = delete;

  net::ip::udp::endpoint endpoint() const { return responder_.local_endpoint(); }
  std::uint16_t port() const { return responder_.local_endpoint().port(); }
  std::size_t received() const { return responder_.received(); }

private:
  net::io_context io_;
  udp_responder responder_;
  std::thread thread_;
};

} // namespace edgeprobe::test
