#include "net/tcp_connect.hpp"

#include "core/deadline.hpp"
#include "net/connect_evidence.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>

namespace edgeprobe {

namespace {

std::string icmp_from(const connect_report& r) {
  return r.icmp && r.icmp->from ? r.icmp->from->to_string() : std::string("a router");
}

std::string failure_message(const connect_report& r) {
  const std::string target = endpoint_text(r.remote);
  const std::string after = " after " + ms_text(r.connect_ms);
  const std::string err = errno_name(r.error);
  if (r.failed_at != connect_report::stage::connect)
    return std::string(r.failed_at == connect_report::stage::bind ? "could not bind the source address " :
                                                                    "could not open a socket ") +
           (r.failed_at == connect_report::stage::bind ? endpoint_text(r.local) + " " : "") + "to connect to " +
           target + ": " + err + " (" + r.error.message() + ")";
  switch (r.why) {
    case reason::tcp_refused:
      if (r.icmp)
        return icmp_from(r) + " refused the connection to " + target + " with " + describe(*r.icmp) + after;
      return target + " refused the connection (RST in answer to the SYN" + after + ")";
    case reason::tcp_timeout:
      if (!r.timed_out)
        return "no answer from " + target + ": the kernel gave up after " + std::to_string(r.syns_sent) +
               " SYNs and " + ms_text(r.connect_ms) + " (ETIMEDOUT)";
      return "no answer from " + target + " within " + ms_text(r.connect_ms) + ": " +
             std::to_string(r.syns_sent) + (r.syns_sent == 1 ? " SYN" : " SYNs") +
             " sent, no SYN-ACK, RST or ICMP error came back";
    case reason::tcp_host_unreachable:
      if (r.icmp)
        return icmp_from(r) + " reported " + r.remote.address().to_string() + " unreachable: " +
               describe(*r.icmp) + after;
      return "connecting to " + target + " failed with " + err + after + " (no ICMP error was queued)";
    case reason::tcp_net_unreachable:
      return icmp_from(r) + " reported the network of " + r.remote.address().to_string() + " unreachable: " +
             (r.icmp ? describe(*r.icmp) : err) + after;
    case reason::tcp_admin_prohibited:
      if (r.icmp)
        return icmp_from(r) + " administratively rejected the connection to " + target + ": " +
               describe(*r.icmp) + after;
      return "this host refused to send to " + target + " (" + err +
             "): a local firewall rule or a prohibit route";
    case reason::tcp_reset:
      return target + " accepted the connection and reset it at once (" + err + after + ")";
    case reason::tcp_no_route:
      return "this host has no route to " + r.remote.address().to_string() + " (" + err +
             " from the local routing table; no packet was sent)";
    case reason::tcp_local_ports_exhausted:
      return "no free local port to connect to " + target + " (" + err +
             "): this host's ephemeral port range is used up";
    default:
      return "connecting to " + target + " failed with " + err + " (" + r.error.message() + ")" + after;
  }
}

// With an address but no port, bind() would pick the port before the
// destination is known, so it needs a port free for every destination; this
// defers the choice to connect(), which only needs the 4-tuple to be unique.
void bind_address_no_port(net::ip::tcp::socket& socket) {
  const int on = 1;
  (void)::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
}

boost::system::error_code errno_code(int value) { return {value, boost::system::system_category()}; }

// connect() is called here on a socket set non-blocking through Asio (so
// Asio's own waits do not set it again), rather than through async_connect,
// which adds a poll() to every connect: per tcp check, measurable against the
// epoll floor (tests/bench). A socket created non-blocking and handed to Asio
// would cost more: Asio then sets the flag again and deregisters it from epoll
// at close, not knowing the descriptor is its own.
void open_non_blocking(net::ip::tcp::socket& socket, const net::ip::tcp& protocol, boost::system::error_code& ec) {
  socket.open(protocol, ec);
  if (!ec) socket.non_blocking(true, ec);
}

// nullopt while the handshake is in progress; otherwise how connect() ended.
std::optional<boost::system::error_code> start_connect(net::ip::tcp::socket& socket,
                                                       const net::ip::tcp::endpoint& remote) {
  if (::connect(socket.native_handle(), remote.data(), static_cast<socklen_t>(remote.size())) == 0)
    return boost::system::error_code();
  if (errno == EINPROGRESS || errno == EINTR) return std::nullopt; // EINTR: it goes on in the background
  return errno_code(errno);
}

// Once the socket is writable, the handshake's outcome (SO_ERROR).
boost::system::error_code connect_result(net::ip::tcp::socket& socket) {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  return errno_code(error);
}

} // namespace

nlohmann::json connect_report::details() const {
  nlohmann::json j = nlohmann::json::object();
  connect_evidence(*this, std::nullopt).add_to(j);
  return j;
}

net::awaitable<connect_report> connect_with_diagnostics(net::any_io_executor executor,
                                                        net::ip::tcp::endpoint remote, connect_options options) {
  connect_report r;
  r.remote = remote;
  const bool v6 = remote.address().is_v6();
  net::ip::tcp::socket socket(executor);
  r.local = net::ip::tcp::endpoint(v6 ? net::ip::tcp::v6() : net::ip::tcp::v4(), options.source_port);
  if (options.source_address) r.local.address(*options.source_address);

  auto local_failure = [&](connect_report::stage at, boost::system::error_code ec) {
    r.failed_at = at;
    r.error = ec;
    r.why = classify_connect_failure(ec, std::nullopt, options.source_port != 0);
    r.message = failure_message(r);
    return std::move(r);
  };

  boost::system::error_code ec;
  open_non_blocking(socket, remote.protocol(), ec);
  if (ec) co_return local_failure(connect_report::stage::open, ec);
  if (options.source_address && options.source_address->is_v6() != v6)
    co_return local_failure(connect_report::stage::bind, net::error::address_family_not_supported);
  if (auto rec = enable_icmp_errors(socket, v6)) co_return local_failure(connect_report::stage::open, rec);
  if (options.source_address || options.source_port) {
    // Swept source ports are reused run after run; TIME_WAIT from the last run
    // must not make bind() fail.
    if (options.source_port) socket.set_option(net::socket_base::reuse_address(true), ec);
    else if (!v6) bind_address_no_port(socket);
    socket.bind(r.local, ec);
    if (ec) co_return local_failure(connect_report::stage::bind, ec);
  }

  const auto start = clock::now();
  std::optional<boost::system::error_code> outcome = start_connect(socket, remote);
  if (!outcome) { // in progress: done when the socket becomes writable
    auto writable = co_await until(options.deadline, socket.async_wait(net::socket_base::wait_write, net::deferred));
    if (writable) outcome = std::get<0>(*writable) ? std::get<0>(*writable) : connect_result(socket);
  }
  r.connect_ms = to_ms(clock::now() - start);
  // Read before closing: on a timeout this is the only record of the SYNs sent.
  r.info = read_tcp_info(socket);
  r.syns_sent = 1 + static_cast<int>(r.info ? r.info->retransmits : 0);
  if (auto local = socket.local_endpoint(ec); !ec) r.local = local;

  if (outcome && !*outcome) {
    if (r.info && r.info->retransmits == 0) r.handshake_ms = r.info->rtt_ms;
    if (!options.then_close) disable_icmp_errors(socket, v6);
    r.socket = std::move(socket);
    co_return r;
  }
  r.timed_out = !outcome;
  r.error = outcome ? *outcome : boost::system::error_code(net::error::timed_out);
  r.icmp = first_icmp_error(socket);
  // A timeout that an ICMP error preceded is explained by that error (first cause):
  // the ICMP error, when there is one, decides over the errno.
  r.why = classify_connect_failure(r.error, r.icmp, options.source_port != 0);
  r.message = failure_message(r);
  socket.close(ec);
  co_return r;
}

void close_connection(net::ip::tcp::socket& socket, bool abortive) {
  if (!socket.is_open()) return;
  boost::system::error_code ec;
  if (abortive) {
    socket.set_option(net::socket_base::linger(true, 0), ec);
  } else {
    // Unread data would turn close() into a RST, so drain it first, without
    // waiting. Bounded: a peer streaming faster than we discard must not keep
    // us here. close() then sends the FIN.
    std::array<char, 4096> sink{};
    for (int i = 0; i < 64; ++i)
      if (::recv(socket.native_handle(), sink.data(), sink.size(), MSG_DONTWAIT) <= 0) break;
  }
  socket.close(ec);
}

} // namespace edgeprobe
