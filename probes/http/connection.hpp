// One HTTP connection: a connected TCP socket, optionally under TLS, read and
// written with the check's deadline. The probe opens it (connect, handshake);
// the exchange only reads and writes.
#pragma once
#include "net/tls_session.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string_view>

namespace edgeprobe {

class http_connection {
public:
  // `socket` connected; `tls_context` null for plain http.
  http_connection(net::ip::tcp::socket socket, SSL_CTX* tls_context);
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  net::ip::tcp::socket& socket() { return *socket_; }
  tls_session* tls() { return tls_.get(); } // null for plain http

  net::awaitable<io_outcome> write_all(std::string_view data, clock::time_point deadline);
  net::awaitable<io_outcome> read_some(char* data, std::size_t size, clock::time_point deadline);
  // close_notify under TLS (briefly), then FIN.
  net::awaitable<void> close(clock::time_point deadline);

private:
  std::unique_ptr<net::ip::tcp::socket> socket_; // stable address: the TLS session keeps a reference
  std::unique_ptr<tls_session> tls_;
};

} // namespace edgeprobe
