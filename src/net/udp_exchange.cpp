#include "net/udp_exchange.hpp"

#include "core/deadline.hpp"
#include "net/receive_timestamp.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cerrno>

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
  enable_receive_timestamps(socket.native_handle());
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

// Waits for the socket to be readable, then reads every datagram queued, each
// with the kernel's arrival stamp: the RTT runs to the arrival, not to the
// moment this coroutine got the thread back.
net::awaitable<void> receive_loop(udp::socket& socket, const udp_request& request, udp_report& report) {
  std::vector<std::uint8_t> buffer(max_datagram);
  for (;;) {
    auto [waited] = co_await socket.async_wait(udp::socket::wait_read, net::as_tuple(net::use_awaitable));
    if (waited == net::error::operation_aborted) co_return;
    for (;;) {
      udp::endpoint from;
      socklen_t from_length = static_cast<socklen_t>(from.capacity());
      const auto got = receive_stamped(socket.native_handle(), buffer.data(), buffer.size(), 0, from.data(), &from_length);
      if (got.size < 0 && (got.error == EAGAIN || got.error == EWOULDBLOCK)) break;
      if (got.size < 0) {
        record_failure(socket, boost::system::error_code(got.error, boost::system::system_category()), "receive", report);
        co_return;
      }
      from.resize(from_length);
      const std::span<const std::uint8_t> bytes(buffer.data(), static_cast<std::size_t>(got.size));
      if (request.accept && !request.accept(bytes, from)) {
        ++report.ignored;
        continue;
      }
      if (report.outcome != udp_outcome::silence) co_return; // the sender concluded first
      report.outcome = udp_outcome::answered;
      report.answer.assign(bytes.begin(), bytes.end());
      report.answer_from = from;
      report.answered_at = got.arrived;
      report.arrival_stamped = got.stamped;
      report.from_other_address = from.address() != request.target.address();
      report.from_other_port = from.port() != request.target.port();
      // The last transmission that left before the answer arrived.
      for (auto it = report.transmissions.rbegin(); it != report.transmissions.rend(); ++it)
        if (it->sent <= got.arrived) {
          it->rtt = got.arrived - it->sent;
          break;
        }
      co_return;
    }
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

std::optional<clock::duration> answer_rtt(const udp_report& report) {
  for (auto it = report.transmissions.rbegin(); it != report.transmissions.rend(); ++it)
    if (it->rtt) return it->rtt;
  return std::nullopt;
}

std::optional<clock::time_point> stamped_arrival(const udp_report& report) {
  if (report.outcome != udp_outcome::answered || !report.arrival_stamped) return std::nullopt;
  return report.answered_at;
}

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
