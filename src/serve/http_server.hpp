// serve's HTTP endpoint on Boost.Beast (the shape of Beast's coroutine
// servers): one coroutine per connection on one io_context thread, optional
// TLS, and the limits a monitoring endpoint needs to stay up whatever a client
// does — request size, requests per second per client, connections at once, and
// a deadline on every read and write.
#pragma once
#include "serve/rate_limiter.hpp"
#include "serve/serve_state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>

namespace edgeprobe {

class serve_server {
public:
  // Binds config.listen now; throws boost::system::system_error when it cannot.
  serve_server(boost::asio::io_context& io, serve_state& state);

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop(); // stops accepting; connections end at their next deadline or request

  // After a reload: the new limits and TLS identity apply to new connections and
  // requests. The listen address is bound once; a new one needs a restart.
  void apply_current_config();

  // How long a client may take to send a request (or stay idle between
  // requests), and to take an answer.
  static constexpr std::chrono::seconds io_timeout{10};

private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  serve_state& state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  // Read and replaced on the io thread only.
  std::shared_ptr<boost::asio::ssl::context> tls_;
  serve_limits limits_;
  rate_limiter limiter_; // one for the server's life, so a reload does not forget who was limited
  std::shared_ptr<std::size_t> open_connections_ = std::make_shared<std::size_t>(0);
};

} // namespace edgeprobe
