#include "probes/tls/responder.hpp"

#include "core/deadline.hpp"
#include "net/responder_greeting.hpp"
#include "net/tls_session.hpp"
#include "wire/ascii.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <stdexcept>

namespace edgeprobe {

namespace {

// The server half of SMTP up to STARTTLS: true when the client asked for TLS.
net::awaitable<bool> smtp_until_starttls(net::ip::tcp::socket& socket, clock::time_point deadline) {
  auto say = [&](std::string text) -> net::awaitable<bool> {
    auto sent = co_await until(deadline, net::async_write(socket, net::buffer(text), net::deferred));
    co_return sent && !std::get<0>(*sent);
  };
  if (!co_await say("220 edgeprobe.responder ESMTP edgeprobe responder\r\n")) co_return false;
  std::string pending;
  for (;;) {
    const auto end = pending.find('\n');
    if (end == std::string::npos) {
      if (pending.size() > 4096) co_return false;
      char chunk[1024];
      auto got = co_await until(deadline, socket.async_read_some(net::buffer(chunk), net::deferred));
      if (!got || std::get<0>(*got)) co_return false;
      pending.append(chunk, std::get<1>(*got));
      continue;
    }
    std::string command = pending.substr(0, end);
    pending.erase(0, end + 1);
    if (!command.empty() && command.back() == '\r') command.pop_back();
    const std::string verb = upper_ascii(command.substr(0, command.find(' ')));
    if (verb == "EHLO") {
      if (!co_await say("250-edgeprobe.responder greets you\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250 STARTTLS\r\n"))
        co_return false;
    } else if (verb == "HELO") {
      if (!co_await say("250 edgeprobe.responder\r\n")) co_return false;
    } else if (verb == "STARTTLS") {
      // Bytes sent before our answer would be injected into the TLS session.
      if (!pending.empty()) co_return false;
      co_return co_await say("220 2.0.0 Ready to start TLS\r\n");
    } else if (verb == "QUIT") {
      co_await say("221 2.0.0 Bye\r\n");
      co_return false;
    } else if (verb == "NOOP") {
      if (!co_await say("250 2.0.0 OK\r\n")) co_return false;
    } else {
      if (!co_await say("530 5.7.0 Must issue a STARTTLS command first\r\n")) co_return false;
    }
  }
}

net::awaitable<void> serve_tls(std::shared_ptr<SSL_CTX> context, bool starttls, std::chrono::milliseconds idle,
                               const std::function<net::awaitable<void>(tls_session&, net::ip::tcp::socket&)>& serve,
                               net::ip::tcp::socket& socket) {
  if (starttls && !co_await smtp_until_starttls(socket, clock::now() + idle)) co_return;
  tls_session session(socket, context.get(), tls_role::server);
  if (!(co_await session.handshake(clock::now() + idle)).ok()) co_return;
  if (serve) {
    co_await serve(session, socket);
    co_return;
  }
  boost::system::error_code ec;
  const auto you = socket.remote_endpoint(ec);
  const auto me = socket.local_endpoint(ec);
  const std::string line = format_greeting(
      {"tls", unmapped(you.address()).to_string(), you.port(), unmapped(me.address()).to_string(), me.port()});
  if (!(co_await session.write_all(line, clock::now() + idle)).error.empty()) co_return;
  char buffer[4096];
  for (;;) {
    const auto got = co_await session.read_some(buffer, sizeof buffer, clock::now() + idle);
    if (got.bytes == 0) break;
    if (!(co_await session.write_all(std::string_view(buffer, got.bytes), clock::now() + idle)).error.empty()) break;
  }
  co_await session.shutdown(clock::now() + std::chrono::milliseconds(200));
}

} // namespace

tls_responder::tls_responder(net::any_io_executor executor, net::ip::tcp::endpoint bind, tls_responder_options options) {
  std::string error;
  auto ctx = make_server_context(options.tls, error);
  if (!ctx) throw std::runtime_error("tls responder: " + error);
  context_ = std::shared_ptr<SSL_CTX>(ctx.release(), SSL_CTX_free);
  auto tcp = options.tcp;
  tcp.serve_connection = [context = context_, starttls = options.starttls_smtp, idle = tcp.idle_timeout,
                          serve = options.serve_session](net::ip::tcp::socket& socket) {
    return serve_tls(context, starttls, idle, serve, socket);
  };
  listener_ = std::make_unique<tcp_responder>(executor, bind, tcp);
}

} // namespace edgeprobe
