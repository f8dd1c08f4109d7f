// The tcp responder: a small server for `edgeprobe demo`, `edgeprobe listen` and
// the tests. It greets every connection with the source address/port it saw
// (see net/responder_greeting.hpp), then echoes; switches make it misbehave.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace edgeprobe {

namespace net = boost::asio;

struct tcp_responder_options {
  std::size_t max_connections = 64;     // more are closed at once, without a greeting
  std::chrono::milliseconds idle_timeout{10000}; // a connection silent this long is closed
  std::size_t buffer_size = 4096;       // bytes read and echoed at a time

  // Misbehaviour, for tests and demos:
  bool reset_after_accept = false; // accept, then close with RST (SO_LINGER 0): a service that dies
  bool zero_window = false;        // tiny receive buffer and never read: the peer's window goes to 0
  bool silent = false;             // no greeting: a service that waits for the client to speak

  // Set: serves each accepted connection instead of the greeting and echo (the
  // tls responder speaks TLS on the same listener machinery). The socket lives
  // until the handler returns; stop() closes it.
  std::function<net::awaitable<void>(net::ip::tcp::socket&)> serve_connection = {};
};

struct tcp_responder_state; // shared with the connections' coroutines

class tcp_responder {
public:
  // Binds and listens at once (port 0: an ephemeral port; see local_endpoint()).
  // Throws boost::system::system_error when the address cannot be bound.
  tcp_responder(net::any_io_executor executor, net::ip::tcp::endpoint bind, tcp_responder_options options = {});
  ~tcp_responder(); // stops
  tcp_responder(const tcp_responder&) = delete;
  tcp_responder& operator=(const tcp_responder&) = delete;

  net::ip::tcp::endpoint local_endpoint() const;
  void start(); // accepts on the executor; callable from any thread
  void stop();  // closes the listener and every connection; callable from any thread

private:
  std::shared_ptr<tcp_responder_state> state_;
  net::ip::tcp::endpoint local_;
};

} // namespace edgeprobe
