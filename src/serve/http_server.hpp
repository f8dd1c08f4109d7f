// serve's HTTP endpoint on Boost.Beast (the shape of Beast's coroutine
// servers): one coroutine per connection on one io_context thread, optional
// TLS, and the limits a monitoring endpoint needs to stay up whatever a client
// does — request size, requests per second per client, connections at once, and
// a deadline on every read and write. Passwords are checked on threads of
// their own (password_checks), never on the I/O thread.
#pragma once
#include "serve/password_checks.hpp"
#include "serve/rate_limiter.hpp"
#include "serve/serve_state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <map>
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

  // How long a client may take to take an answer. (Sending a request: the
  // config's limits.request_head_timeout.)
  static constexpr std::chrono::seconds io_timeout{10};
  // Password checks waiting for a hashing thread, per thread; more are answered 503.
  static constexpr std::size_t password_checks_waiting_per_thread = 4;

private:
  boost::asio::awaitable<void> accept_loop();
  struct connection_counts;
  // One open connection, counted in all and for its client address until it ends.
  class connection_slot {
  public:
    connection_slot(std::shared_ptr<connection_counts> counts, boost::asio::ip::tcp::endpoint client);
    connection_slot(connection_slot&&) noexcept = default;
    connection_slot& operator=(connection_slot&&) = delete;
    ~connection_slot();
    const boost::asio::ip::tcp::endpoint& client() const { return client_; }

  private:
    std::shared_ptr<connection_counts> counts_;
    boost::asio::ip::tcp::endpoint client_;
  };
  boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket, connection_slot slot);

  boost::asio::io_context& io_;
  serve_state& state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  // Read and replaced on the io thread only.
  std::shared_ptr<boost::asio::ssl::context> tls_;
  serve_limits limits_;
  rate_limiter limiter_; // one for the server's life, so a reload does not forget who was limited
  // Open connections in all and per client address; shared with each
  // connection's coroutine, whose frame can outlive the server when serve stops.
  struct connection_counts {
    std::size_t open = 0;
    std::map<boost::asio::ip::address, std::size_t> per_address; // no entry at 0
    std::size_t from(const boost::asio::ip::address& address) const;
  };
  std::shared_ptr<connection_counts> connections_ = std::make_shared<connection_counts>();
  password_checks password_checks_;
};

} // namespace edgeprobe
