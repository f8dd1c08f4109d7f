#include "probes/ews/responder_serve.hpp"

#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "probes/ews/responder_answers.hpp"
#include "probes/http/exchange.hpp"
#include "wire/ascii.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <sstream>

namespace edgeprobe::ews_responder {

namespace {

namespace beast_http = boost::beast::http;

// What one request may weigh: a real Autodiscover or EWS request is a few KiB;
// 64 KiB of headers leaves room for a Kerberos-sized Authorization.
constexpr std::uint32_t max_header_bytes = 64 * 1024;
constexpr std::uint64_t max_body_bytes = 1024 * 1024;

// A plain TCP socket with the read/write/shutdown calls tls_session has, so
// one serve loop works for both listeners.
struct plain_stream {
  net::ip::tcp::socket& socket;

  net::awaitable<io_outcome> read_some(char* data, std::size_t size, clock::time_point deadline) {
    io_outcome out;
    const auto got =
        co_await until(deadline, socket.async_read_some(net::buffer(data, size), net::deferred));
    if (!got) {
      out.timed_out = true;
      co_return out;
    }
    const auto& [ec, n] = *got;
    out.bytes = n;
    if (ec == net::error::eof || ec == net::error::connection_reset) out.closed = true;
    else if (ec) out.error = ec.message();
    co_return out;
  }

  net::awaitable<io_outcome> write_all(std::string_view data, clock::time_point deadline) {
    io_outcome out;
    const auto sent =
        co_await until(deadline, net::async_write(socket, net::buffer(data), net::deferred));
    if (!sent) {
      out.timed_out = true;
      co_return out;
    }
    const auto& [ec, n] = *sent;
    out.bytes = n;
    if (ec) out.error = ec.message();
    co_return out;
  }

  net::awaitable<void> shutdown(clock::time_point) {
    boost::system::error_code ignored;
    socket.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    co_return;
  }
};

using request_parser = beast_http::request_parser<beast_http::string_body>;
using answer_function = ews_http_response (*)(const ews_http_request&, ews_connection_state&,
                                              const ews_responder_options&);

enum class request_end { complete, closed, timed_out, failed, malformed, header_too_large, body_too_large };

// Gives the parser what it can take of `pending` (bytes read and not parsed
// yet, which may include the start of a pipelined next request).
boost::system::error_code feed(request_parser& parser, std::string& pending) {
  boost::system::error_code ec;
  while (!pending.empty() && !parser.is_done()) {
    const auto used = parser.put(net::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == beast_http::error::need_more) return {};
    if (ec) return ec;
    if (used == 0) break;
  }
  return {};
}

request_end classify(const boost::system::error_code& ec) {
  if (ec == beast_http::error::header_limit) return request_end::header_too_large;
  if (ec == beast_http::error::body_limit) return request_end::body_too_large;
  return request_end::malformed;
}

bool expects_continue(const request_parser& parser) {
  const auto& m = parser.get();
  return m.version() >= 11 && iequals_ascii(m[beast_http::field::expect], "100-continue");
}

// Reads until the parser holds one whole request. Every read waits at most
// `idle`; a client that sent "Expect: 100-continue" gets its interim answer.
template <class Stream>
net::awaitable<request_end> read_request(Stream& stream, request_parser& parser, std::string& pending,
                                         std::chrono::milliseconds idle) {
  bool continue_sent = false;
  std::array<char, 16 * 1024> chunk;
  for (;;) {
    if (const auto ec = feed(parser, pending)) co_return classify(ec);
    if (parser.is_done()) co_return request_end::complete;
    if (!parser.is_header_done() && pending.size() > max_header_bytes) co_return request_end::header_too_large;
    if (parser.is_header_done() && !continue_sent && expects_continue(parser)) {
      continue_sent = true;
      const auto sent = co_await stream.write_all("HTTP/1.1 100 Continue\r\n\r\n", clock::now() + idle);
      if (sent.timed_out || sent.closed || !sent.error.empty()) co_return request_end::failed;
    }
    const auto got = co_await stream.read_some(chunk.data(), chunk.size(), clock::now() + idle);
    if (got.bytes > 0) {
      pending.append(chunk.data(), got.bytes);
      continue;
    }
    // A request cannot be delimited by the end of the connection (RFC 9112
    // 6.3): a close mid-request leaves nothing to answer.
    if (got.timed_out) co_return request_end::timed_out;
    co_return got.closed ? request_end::closed : request_end::failed;
  }
}

ews_http_request to_request(const beast_http::request<beast_http::string_body>& m) {
  ews_http_request r;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  for (const auto& field : m) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = m.body();
  return r;
}

std::string serialise(const ews_http_response& r, unsigned version, bool close) {
  beast_http::response<beast_http::string_body> m{static_cast<beast_http::status>(r.status), version};
  m.set(beast_http::field::server, "edgeprobe-ews-responder");
  for (const auto& [name, value] : r.headers) m.insert(name, value); // insert: WWW-Authenticate repeats
  m.body() = r.body;
  m.keep_alive(!close);
  m.prepare_payload();
  std::ostringstream out;
  out << m;
  return out.str();
}

// What a request the parser refused gets before the connection is closed.
ews_http_response refusal_for(request_end end) {
  ews_http_response r;
  switch (end) {
  case request_end::header_too_large: r = text_answer(431, "431 - Request header fields too large.\r\n"); break;
  case request_end::body_too_large: r = text_answer(413, "413 - Request entity too large.\r\n"); break;
  default: r = text_answer(400, "400 - Bad Request.\r\n"); break;
  }
  r.close = true;
  return r;
}

ews_http_response answer_safely(answer_function answer, const ews_http_request& request, ews_connection_state& state,
                                const ews_responder_options& o) {
  try {
    return answer(request, state, o);
  } catch (const std::exception&) { // the listener's coroutines are detached: nothing may escape
    auto r = text_answer(500, "500 - Internal server error.\r\n");
    r.close = true;
    return r;
  }
}

// One connection: a fresh Beast parser per request (a parser holds one
// message), keep-alive until the client closes, asks to close, stays idle, or
// sends something that is not HTTP.
template <class Stream>
net::awaitable<void> serve_http(Stream& stream, const ews_responder_options& o, answer_function answer) {
  ews_connection_state state;
  std::string pending;
  for (;;) {
    request_parser parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(max_body_bytes);
    parser.eager(true);
    const request_end end = co_await read_request(stream, parser, pending, o.idle_timeout);
    if (end == request_end::closed || end == request_end::timed_out || end == request_end::failed) break;
    ews_http_response response;
    unsigned version = 11;
    bool close = true;
    if (end == request_end::complete) {
      const auto& message = parser.get();
      response = answer_safely(answer, to_request(message), state, o);
      version = message.version() == 10 ? 10 : 11;
      close = response.close || !message.keep_alive();
    } else {
      response = refusal_for(end);
    }
    const auto sent = co_await stream.write_all(serialise(response, version, close), clock::now() + o.idle_timeout);
    if (close || sent.timed_out || sent.closed || !sent.error.empty()) break;
  }
  co_await stream.shutdown(clock::now() + std::chrono::milliseconds(200));
}

} // namespace

net::awaitable<void> serve_https(std::shared_ptr<const ews_responder_options> o, tls_session& session) {
  co_await serve_http(session, *o, &ews_answer);
}

net::awaitable<void> serve_plain_http(std::shared_ptr<const ews_responder_options> o, net::ip::tcp::socket& socket) {
  plain_stream stream{socket};
  co_await serve_http(stream, *o, &ews_plain_http_answer);
}

} // namespace edgeprobe::ews_responder
