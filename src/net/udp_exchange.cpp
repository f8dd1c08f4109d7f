#include "net/udp_exchange.hpp"

#include "core/deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace edgeprobe {

namespace {

using udp = net::ip::udp;

// The largest UDP payload: answers are kept whole, callers cap what they print.
constexpr std::size_t max_datagram = 65535;

// Opens and binds the socket; on failure fills in the report and returns false.
bool open_socket(udp::socket& socket, const udp_request& request, udp_report& report) {
  const auto protocol = request.target.protocol();
  const auto fail = [&](boost::system::error_code ec, const char* step) {
    report.outcome = udp_outcome::local_error;
    report.error = ec;
    report.failed_step = step;
    return false;
  };
  boost::system::error_code ec;
  socket.open(protocol, ec);
  if (ec) return fail(ec, "open");
  // Bound explicitly so the port is known before the first send, and so a
  // source_port is honoured. Deliberately never connect(): a connected socket
  // drops answers from any other address than the one asked.
  const auto any = protocol == udp::v4() ? net::ip::address(net::ip::address_v4::any())
                                         : net::ip::address(net::ip::address_v6::any());
  socket.bind(udp::endpoint(request.source_address.value_or(any), request.source_port), ec);
  if (ec) return fail(ec, "bind");
  ec = enable_icmp_errors(socket, protocol == udp::v6());
  if (ec) return fail(ec, "open");
  return true;
}

// An operation on the socket failed: an ICMP error is waiting in the queue (the
// kernel reports it through the next socket call), or this host failed locally.
void record_failure(udp::socket& socket, boost::system::error_code ec, const char* step, udp_report& report) {
  if (report.outcome != udp_outcome::silence) return; // the other loop concluded first
  auto errors = drain_icmp_errors(socket);
  if (!errors.empty()) {
    report.outcome = udp_outcome::icmp_error;
    report.icmp = std::move(errors.front()); // the first explains; later ones repeat it
    return;
  }
  report.outcome = udp_outcome::local_error;
  report.error = ec;
  report.failed_step = step;
}

net::awaitable<void> send_loop(udp::socket& socket, const udp_request& request, clock::time_point deadline,
                               udp_report& report) {
  net::steady_timer timer(socket.get_executor());
  auto wait = request.schedule.initial_rto;
  for (int i = 0; i < request.schedule.max_transmissions; ++i) {
    report.transmissions.push_back({clock::now(), std::nullopt});
    auto [ec, sent] = co_await socket.async_send_to(net::buffer(request.payload), request.target,
                                                    net::as_tuple(net::use_awaitable));
    if (ec == net::error::operation_aborted) co_return;
    if (ec) {
      report.transmissions.pop_back(); // it never left
      record_failure(socket, ec, "send", report);
      co_return;
    }
    const bool last = i + 1 == request.schedule.max_transmissions;
    timer.expires_at(last ? deadline : std::min(deadline, clock::now() + wait));
    auto [waited] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (waited == net::error::operation_aborted || clock::now() >= deadline) co_return;
    if (request.schedule.doubling) wait *= 2;
  }
}

net::awaitable<void> receive_loop(udp::socket& socket, const udp_request& request, udp_report& report) {
  std::vector<std::uint8_t> buffer(max_datagram);
  for (;;) {
    udp::endpoint from;
    auto [ec, size] = co_await socket.async_receive_from(net::buffer(buffer), from, net::as_tuple(net::use_awaitable));
    const auto arrived = clock::now();
    if (ec == net::error::operation_aborted) co_return;
    if (ec) {
      record_failure(socket, ec, "receive", report);
      co_return;
    }
    const std::span<const std::uint8_t> bytes(buffer.data(), size);
    if (request.accept && !request.accept(bytes, from)) {
      ++report.ignored;
      continue;
    }
    if (report.outcome != udp_outcome::silence) co_return; // the sender concluded first
    report.outcome = udp_outcome::answered;
    report.answer.assign(bytes.begin(), bytes.end());
    report.answer_from = from;
    report.answered_at = arrived;
    report.from_other_address = from.address() != request.target.address();
    report.from_other_port = from.port() != request.target.port();
    if (!report.transmissions.empty()) {
      auto& answered = report.transmissions.back();
      answered.rtt = arrived - answered.sent;
    }
    co_return;
  }
}

// Whichever ends first ends the exchange: the receiver on an answer or an
// error, the sender on a send error or once the deadline passes in silence.
// (A coroutine of its own: until() cannot take a `||` expression directly,
// because Asio flattens the nested variant of their results.)
net::awaitable<void> exchange(udp::socket& socket, const udp_request& request, clock::time_point deadline,
                              udp_report& report) {
  using namespace net::experimental::awaitable_operators;
  co_await (send_loop(socket, request, deadline, report) || receive_loop(socket, request, report));
}

} // namespace

retransmission_schedule retransmission_schedule::fitted(clock::duration window, int transmissions) {
  transmissions = std::clamp(transmissions, 1, 20);
  const auto parts = (clock::duration::rep{1} << transmissions) - 1;
  return {std::max(window / parts, clock::duration(std::chrono::milliseconds(1))), true, transmissions};
}

std::optional<net::ip::address> route_source(const net::any_io_executor& executor, const udp::endpoint& target,
                                             const std::optional<net::ip::address>& source_address) {
  udp::socket scratch(executor);
  boost::system::error_code ec;
  scratch.open(target.protocol(), ec);
  if (!ec && source_address) scratch.bind(udp::endpoint(*source_address, 0), ec);
  if (!ec) scratch.connect(target, ec); // UDP connect only looks up the route
  if (ec) return std::nullopt;
  const auto local = scratch.local_endpoint(ec);
  if (ec) return std::nullopt;
  return local.address();
}

net::awaitable<udp_report> udp_exchange(udp_request request, clock::time_point deadline) {
  udp_report report;
  report.started = clock::now();
  const auto executor = co_await net::this_coro::executor;
  udp::socket socket(executor);
  if (!open_socket(socket, request, report)) co_return report;

  boost::system::error_code ec;
  const auto bound = socket.local_endpoint(ec);
  const auto source = route_source(executor, request.target, request.source_address);
  report.local = udp::endpoint(source.value_or(bound.address()), bound.port());

  co_await until(deadline, exchange(socket, request, deadline, report));
  co_return report;
}

} // namespace edgeprobe
