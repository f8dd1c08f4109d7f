// The http probe against servers that misbehave on purpose (the tcp
// responder's custom connection handler on loopback): bytes that are not HTTP,
// headers beyond the limit, silence, a close without an answer, and a body
// far over the cap. Each is a reason, none a crash or a hang past the deadline.
#include "net/tcp_responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <doctest/doctest.h>

using namespace edgeprobe;
using test::details_of;
using test::reason_of;

namespace {

// Reads the request's first bytes, then writes `answer` and either closes or
// (with `hold`) keeps the connection open and silent for 3 s.
tcp_responder_options answering(std::string answer, bool hold = false) {
  tcp_responder_options o;
  o.serve_connection = [answer, hold](net::ip::tcp::socket& socket) -> net::awaitable<void> {
    std::array<char, 4096> request;
    co_await socket.async_read_some(net::buffer(request), net::as_tuple(net::use_awaitable));
    if (!answer.empty()) co_await net::async_write(socket, net::buffer(answer), net::as_tuple(net::use_awaitable));
    if (hold) {
      net::steady_timer wait(socket.get_executor(), std::chrono::seconds(3));
      co_await wait.async_wait(net::as_tuple(net::use_awaitable));
    }
  };
  return o;
}

check_result fetch_from(const tcp_responder& server, const char* timeout = "2s") {
  return test::run_check({{"probe", "http"},
                          {"target", "http://127.0.0.1:" + std::to_string(server.local_endpoint().port()) + "/"},
                          {"timeout", timeout}});
}

} // namespace

TEST_SUITE("http") {

TEST_CASE("http vs hostile servers: not HTTP, huge headers, silence, close, a body over the cap") {
  test::io_thread io;
  const net::ip::tcp::endpoint any{net::ip::make_address("127.0.0.1"), 0};

  tcp_responder garbage(io.executor(), any, answering("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  garbage.start();
  const auto not_http = fetch_from(garbage);
  CHECK(reason_of(not_http) == "http.malformed");
  CHECK(not_http.outcome.message.find("not valid HTTP/1.1") != std::string::npos);

  tcp_responder bloated(io.executor(), any,
                        answering("HTTP/1.1 200 OK\r\nX-Padding: " + std::string(70 * 1024, 'a') + "\r\n\r\n"));
  bloated.start();
  const auto huge = fetch_from(bloated);
  CHECK(reason_of(huge) == "http.malformed");
  CHECK(huge.outcome.message.find("headers are larger than 65536 bytes") != std::string::npos);

  tcp_responder silent(io.executor(), any, answering("", true));
  silent.start();
  const auto quiet = fetch_from(silent, "1s");
  CHECK(reason_of(quiet) == "http.no_response");
  CHECK(quiet.outcome.message.find("no answer before the deadline") != std::string::npos);

  tcp_responder closing(io.executor(), any, answering(""));
  closing.start();
  const auto closed = fetch_from(closing);
  CHECK(reason_of(closed) == "http.no_response");
  CHECK(closed.outcome.message.find("closed the connection without answering") != std::string::npos);

  const std::size_t five_mib = 5 * 1024 * 1024;
  tcp_responder big(io.executor(), any,
                    answering("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(five_mib) + "\r\n\r\n" +
                              std::string(five_mib, 'x')));
  big.start();
  const auto cut = fetch_from(big, "5s");
  CHECK(cut.outcome.state == status::pass);
  CHECK(details_of(cut)["body_cut"] == true);
  CHECK(details_of(cut)["body_bytes"].get<std::size_t>() <= 4 * 1024 * 1024);

  for (auto* s : {&garbage, &bloated, &silent, &closing, &big}) s->stop();
}

} // TEST_SUITE
