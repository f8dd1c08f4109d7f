#include "probes/http/connection.hpp"

#include "core/deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>

namespace edgeprobe {

http_connection::http_connection(net::ip::tcp::socket socket, SSL_CTX* tls_context)
    : socket_(std::make_unique<net::ip::tcp::socket>(std::move(socket))) {
  if (tls_context) tls_ = std::make_unique<tls_session>(*socket_, tls_context, tls_role::client);
}

net::awaitable<io_outcome> http_connection::write_all(std::string_view data, clock::time_point deadline) {
  if (tls_) co_return co_await tls_->write_all(data, deadline);
  io_outcome out;
  auto sent = co_await until(deadline, net::async_write(*socket_, net::buffer(data), net::deferred));
  if (!sent) out.timed_out = true;
  else if (const auto ec = std::get<0>(*sent)) {
    out.error = ec.message();
    out.reset = ec == net::error::connection_reset || ec == net::error::broken_pipe;
  }
  else out.bytes = std::get<1>(*sent);
  co_return out;
}

net::awaitable<io_outcome> http_connection::read_some(char* data, std::size_t size, clock::time_point deadline) {
  if (tls_) co_return co_await tls_->read_some(data, size, deadline);
  io_outcome out;
  auto got = co_await until(deadline, socket_->async_read_some(net::buffer(data, size), net::deferred));
  if (!got) out.timed_out = true;
  else if (std::get<0>(*got) == net::error::eof) out.closed = true;
  else if (const auto ec = std::get<0>(*got)) {
    out.error = ec.message();
    out.reset = ec == net::error::connection_reset;
  }
  else out.bytes = std::get<1>(*got);
  co_return out;
}

net::awaitable<void> http_connection::close(clock::time_point deadline) {
  if (tls_) co_await tls_->shutdown(std::min(deadline, clock::now() + std::chrono::milliseconds(100)));
  boost::system::error_code ignored;
  socket_->shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_->close(ignored);
}

} // namespace edgeprobe
