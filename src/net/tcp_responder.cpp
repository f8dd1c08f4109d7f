#include "net/tcp_responder.hpp"

#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "net/responder_greeting.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <set>
#include <vector>

namespace edgeprobe {

struct tcp_responder_state {
  tcp_responder_state(net::any_io_executor ex, tcp_responder_options opts) : executor(ex), acceptor(ex), options(opts) {}

  net::any_io_executor executor;
  net::ip::tcp::acceptor acceptor;
  tcp_responder_options options;
  std::set<std::shared_ptr<net::ip::tcp::socket>> connections; // touched only on the executor
  bool stopped = false;
};

namespace {

using socket_ptr = std::shared_ptr<net::ip::tcp::socket>;

net::awaitable<void> serve(std::shared_ptr<tcp_responder_state> s, socket_ptr conn) {
  struct registration { // keeps stop() able to close this connection while it lives
    std::shared_ptr<tcp_responder_state> s;
    socket_ptr conn;
    ~registration() { s->connections.erase(conn); }
  } reg{s, conn};
  s->connections.insert(conn);
  const auto& o = s->options;
  boost::system::error_code ec;

  if (o.serve_connection) {
    co_await o.serve_connection(*conn);
    conn->close(ec);
    co_return;
  }
  if (o.reset_after_accept) {
    conn->set_option(net::socket_base::linger(true, 0), ec);
    conn->close(ec);
    co_return;
  }
  if (!o.silent) {
    const auto you = conn->remote_endpoint(ec);
    const auto me = conn->local_endpoint(ec);
    const std::string line = format_greeting(
        {"tcp", unmapped(you.address()).to_string(), you.port(), unmapped(me.address()).to_string(), me.port()});
    auto sent = co_await until(clock::now() + o.idle_timeout,
                               net::async_write(*conn, net::buffer(line), net::deferred));
    if (!sent || std::get<0>(*sent)) co_return;
  }
  if (o.zero_window) {
    // Never read, so the receive buffer fills and the window closes; wait for
    // the peer to go away, the idle timeout, or stop().
    co_await until(clock::now() + o.idle_timeout,
                   conn->async_wait(net::socket_base::wait_error, net::deferred));
    conn->close(ec);
    co_return;
  }
  std::vector<char> buffer(o.buffer_size);
  for (;;) {
    auto got = co_await until(clock::now() + o.idle_timeout,
                              conn->async_read_some(net::buffer(buffer), net::deferred));
    if (!got || std::get<0>(*got)) break;
    auto echoed = co_await until(clock::now() + o.idle_timeout,
                                 net::async_write(*conn, net::buffer(buffer.data(), std::get<1>(*got)),
                                                  net::deferred));
    if (!echoed || std::get<0>(*echoed)) break;
  }
  conn->close(ec);
}

net::awaitable<void> accept_loop(std::shared_ptr<tcp_responder_state> s) {
  while (!s->stopped) {
    auto [ec, peer] = co_await s->acceptor.async_accept(net::as_tuple(net::use_awaitable));
    if (s->stopped || ec == net::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors and the like: pause instead of spinning.
      net::steady_timer pause(s->executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(net::as_tuple(net::use_awaitable));
      continue;
    }
    if (s->connections.size() >= s->options.max_connections) {
      peer.close(ec);
      continue;
    }
    net::co_spawn(s->executor, serve(s, std::make_shared<net::ip::tcp::socket>(std::move(peer))), net::detached);
  }
}

} // namespace

tcp_responder::tcp_responder(net::any_io_executor executor, net::ip::tcp::endpoint bind,
                             tcp_responder_options options)
    : state_(std::make_shared<tcp_responder_state>(executor, options)) {
  auto& a = state_->acceptor;
  a.open(bind.protocol());
  a.set_option(net::socket_base::reuse_address(true));
  // Set before listen(): accepted sockets inherit it, and the window in the
  // SYN-ACK is already computed from it. The kernel raises 1 to its minimum.
  if (options.zero_window) a.set_option(net::socket_base::receive_buffer_size(1));
  a.bind(bind);
  a.listen();
  local_ = a.local_endpoint();
}

tcp_responder::~tcp_responder() { stop(); }

net::ip::tcp::endpoint tcp_responder::local_endpoint() const { return local_; }

void tcp_responder::start() {
  net::co_spawn(state_->executor, accept_loop(state_), net::detached);
}

void tcp_responder::stop() {
  net::post(state_->executor, [s = state_] {
    if (s->stopped) return;
    s->stopped = true;
    boost::system::error_code ec;
    s->acceptor.close(ec);
    for (const auto& c : s->connections) c->close(ec);
  });
}

} // namespace edgeprobe
