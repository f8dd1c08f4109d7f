#include "serve/http_server.hpp"

#include "serve/http_routes.hpp"
#include "serve/serve_tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <iostream>

namespace edgeprobe {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Waits for a suite run on the scheduler's thread without blocking the io
// thread: the result is posted back to the coroutine's executor.
net::awaitable<std::shared_ptr<const run_result>> run_on_scheduler(suite_scheduler& scheduler, std::string name) {
  auto executor = co_await net::this_coro::executor;
  co_return co_await net::async_initiate<decltype(net::use_awaitable), void(std::shared_ptr<const run_result>)>(
      [&scheduler, executor](auto handler, std::string suite) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto work = std::make_shared<net::executor_work_guard<net::any_io_executor>>(executor);
        const bool known = scheduler.run_now(suite, [shared, work, executor](std::shared_ptr<const run_result> r) {
          net::post(executor, [shared, work, r]() mutable { std::move (*shared)(std::move(r)); });
        });
        if (!known) net::post(executor, [shared, work]() mutable { std::move (*shared)(nullptr); });
      },
      net::use_awaitable, std::move(name));
}

// The password check of a request on a hashing thread, its answer posted back
// to the coroutine's executor. nullopt: every hashing thread is busy and the
// line is full.
net::awaitable<std::optional<bool>> check_off_thread(password_checks& checks, std::shared_ptr<basic_auth> auth,
                                                     std::string authorization) {
  auto executor = co_await net::this_coro::executor;
  co_return co_await net::async_initiate<decltype(net::use_awaitable), void(std::optional<bool>)>(
      [&checks, executor](auto handler, std::shared_ptr<basic_auth> auth, std::string authorization) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto work = std::make_shared<net::executor_work_guard<net::any_io_executor>>(executor);
        auto header = std::make_shared<std::string>(std::move(authorization));
        const bool queued = checks.submit([auth, header] { return auth->allows(*header); },
                                          [shared, work, executor](bool allowed) {
                                            net::post(executor, [shared, work, allowed]() mutable {
                                              std::move (*shared)(std::optional<bool>(allowed));
                                            });
                                          });
        if (!queued)
          net::post(executor, [shared, work]() mutable { std::move (*shared)(std::optional<bool>()); });
      },
      net::use_awaitable, std::move(auth), std::move(authorization));
}

http::response<http::string_body> to_http(const serve_response& answer, unsigned http_version, bool keep_alive,
                                          bool head) {
  http::response<http::string_body> out{static_cast<http::status>(answer.status), http_version};
  // No Server header: the name and version would tell anyone, before
  // authentication, which bugs to try.
  out.set(http::field::content_type, answer.content_type);
  out.set(http::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  if (answer.content_type.starts_with("text/html"))
    out.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  for (const auto& [name, value] : answer.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  out.body() = answer.body;
  out.prepare_payload();
  if (head) out.body().clear(); // Content-Length stays the GET's
  return out;
}

serve_response refused(unsigned status, std::string body) {
  serve_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace

serve_server::serve_server(net::io_context& io, serve_state& state)
    : io_(io), state_(state), acceptor_(io),
      limiter_(state.current().config->limits.requests_per_second, state.current().config->limits.burst),
      password_checks_(password_checks::default_threads(),
                       password_checks::default_threads() * password_checks_waiting_per_thread) {
  const auto config = state_.current().config;
  acceptor_.open(config->listen.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(config->listen);
  acceptor_.listen();
  apply_current_config();
}

void serve_server::apply_current_config() {
  const auto config = state_.current().config;
  limits_ = config->limits;
  limiter_.set_rate(limits_.requests_per_second, limits_.burst);
  std::string error;
  tls_ = config->tls ? make_serve_tls_context(*config->tls, error) : nullptr;
  if (config->tls && !tls_) std::cerr << "edgeprobe serve: TLS not applied: " << error << '\n';
  if (config->listen != acceptor_.local_endpoint() && config->listen.port() != 0)
    std::cerr << "edgeprobe serve: still listening on " << acceptor_.local_endpoint()
              << "; a new listen address takes effect on restart\n";
}

void serve_server::start() { net::co_spawn(io_, accept_loop(), net::detached); }

void serve_server::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

net::awaitable<void> serve_server::accept_loop() {
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (ec == net::error::operation_aborted) co_return;
    if (ec) continue; // EMFILE and the like: this connection is lost, the next may work
    // Over a limit: closed at once, so a flood cannot use up descriptors, and
    // one address cannot take the slots of every other.
    // Counted here, not when its coroutine starts, so a burst of accepts
    // cannot slip past the limits.
    const auto client = socket.remote_endpoint(ec);
    if (ec || connections_->open >= limits_.max_connections ||
        connections_->from(client.address()) >= limits_.max_connections_per_address) {
      socket.set_option(net::socket_base::linger(true, 0), ec);
      socket.close(ec);
      continue;
    }
    net::co_spawn(io_, serve_connection(std::move(socket), connection_slot(connections_, client)), net::detached);
  }
}

namespace {

// After refusing a request it did not read whole: reads what the client is
// still sending (a second, 64 KiB at most), because closing with unread bytes
// makes the kernel send a RST that can destroy the refusal before it is read.
template <class Stream>
net::awaitable<void> drain(Stream& stream, beast::tcp_stream& lowest) {
  lowest.expires_after(std::chrono::seconds(1));
  std::array<char, 4096> scratch;
  for (std::size_t total = 0; total < 64 * 1024;) {
    auto [ec, n] = co_await stream.async_read_some(net::buffer(scratch), use_tuple);
    if (ec) co_return;
    total += n;
  }
}

// Reads requests and answers them until the client is done, slow or over a limit.
template <class Stream>
net::awaitable<void> exchange(Stream& stream, beast::tcp_stream& lowest, const tcp::endpoint& client,
                              serve_state& state, const serve_limits& limits, rate_limiter& limiter,
                              password_checks& checks) {
  beast::flat_buffer buffer(limits.max_request_bytes);
  for (;;) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_request_bytes));
    parser.body_limit(0); // serve takes no request bodies
    // The whole head within the deadline, however the bytes trickle in.
    lowest.expires_after(limits.request_head_timeout);
    auto [read_error, ignored] = co_await http::async_read(stream, buffer, parser, use_tuple);
    std::optional<serve_response> early;
    if (read_error == http::error::header_limit || read_error == http::error::buffer_overflow)
      early = refused(431, "request headers larger than " + std::to_string(limits.max_request_bytes) + " bytes\n");
    else if (read_error == http::error::body_limit)
      early = refused(413, "serve takes no request body\n");
    else if (read_error == http::error::end_of_stream || read_error)
      co_return; // closed, timed out, or not HTTP: nothing worth answering

    const auto& request = parser.get();
    bool keep_alive = !early && request.keep_alive();
    if (!early && !limiter.allow(client.address())) {
      early = refused(429, "too many requests\n");
      early->headers.emplace_back("Retry-After", std::to_string(limiter.retry_after_seconds(client.address())));
    }
    serve_response answer;
    if (early) answer = *early;
    else {
      const auto authorization = request[http::field::authorization];
      const std::string target(request.target());
      const std::string method(request.method_string());
      serve_request asked{method, target, {authorization.data(), authorization.size()}, std::nullopt};
      bool hashing_busy = false;
      if (needs_credentials(asked, state)) {
        auto auth = state.current().auth;
        asked.credentials_verified = auth->verdict_without_hashing(asked.authorization);
        if (!asked.credentials_verified) {
          asked.credentials_verified = co_await check_off_thread(checks, auth, std::string(asked.authorization));
          hashing_busy = !asked.credentials_verified;
        }
      }
      auto decision = hashing_busy ? route_decision{refused(503, "too many password checks at once\n"), {}}
                                   : route(asked, state);
      if (hashing_busy) decision.answer->headers.emplace_back("Retry-After", "1");
      if (decision.answer) answer = std::move(*decision.answer);
      else {
        auto scheduler = state.current().scheduler;
        auto run = co_await run_on_scheduler(*scheduler, decision.run_suite);
        answer = probe_answer(run.get());
      }
    }
    auto response = to_http(answer, request.version() ? request.version() : 11, keep_alive,
                            request.method() == http::verb::head);
    lowest.expires_after(serve_server::io_timeout);
    auto [write_error, written] = co_await http::async_write(stream, response, use_tuple);
    if (write_error || !keep_alive) {
      if (early && !write_error) co_await drain(stream, lowest);
      co_return;
    }
  }
}

} // namespace

std::size_t serve_server::connection_counts::from(const boost::asio::ip::address& address) const {
  const auto it = per_address.find(address);
  return it == per_address.end() ? 0 : it->second;
}

serve_server::connection_slot::connection_slot(std::shared_ptr<connection_counts> counts, tcp::endpoint client)
    : counts_(std::move(counts)), client_(std::move(client)) {
  ++counts_->open;
  ++counts_->per_address[client_.address()];
}

serve_server::connection_slot::~connection_slot() {
  if (!counts_) return; // moved from
  --counts_->open;
  const auto it = counts_->per_address.find(client_.address());
  if (--it->second == 0) counts_->per_address.erase(it);
}

net::awaitable<void> serve_server::serve_connection(tcp::socket socket, connection_slot slot) {
  boost::system::error_code ec;
  const auto& client = slot.client();
  // Limits and TLS as they are now; a reload applies to the next connection.
  const serve_limits limits = limits_;
  auto tls = tls_;
  beast::tcp_stream plain(std::move(socket));
  if (!tls) {
    co_await exchange(plain, plain, client, state_, limits, limiter_, password_checks_);
    plain.socket().shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> secured(std::move(plain), *tls);
  beast::get_lowest_layer(secured).expires_after(limits.request_head_timeout);
  auto [handshake_error] = co_await secured.async_handshake(net::ssl::stream_base::server, use_tuple);
  if (handshake_error) co_return;
  co_await exchange(secured, beast::get_lowest_layer(secured), client, state_, limits, limiter_, password_checks_);
  beast::get_lowest_layer(secured).expires_after(std::chrono::seconds(1));
  co_await secured.async_shutdown(use_tuple);
}

} // namespace edgeprobe
