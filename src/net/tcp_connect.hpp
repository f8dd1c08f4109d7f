// TCP connect that says exactly how it went: refused (with time to RST), timed
// out (with the SYNs sent), ICMP-rejected (type, code, reporting router), no
// route, no local port — and on success the kernel's TCP_INFO. Every connecting
// probe (tcp, tls, http, epm, sqlbrowser) connects through this.
#pragma once
#include "core/clock.hpp"
#include "core/reasons.hpp"
#include "net/endpoint_text.hpp"
#include "net/socket_errors.hpp"
#include "net/tcp_info.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace edgeprobe {

namespace net = boost::asio;

struct connect_options {
  std::optional<net::ip::address> source_address;
  std::uint16_t source_port = 0; // 0: let the kernel pick an ephemeral port
  clock::time_point deadline;
  // The caller closes the socket right after the handshake, reading and
  // writing nothing: the ICMP error queue is left on (no use turning it off).
  bool then_close = false;
};

struct connect_report {
  // Where it failed: opening or binding the socket is a local matter (bad
  // source address, source port in use); `connect` is the network's answer.
  enum class stage { open, bind, connect };

  net::ip::tcp::endpoint remote;
  std::optional<net::ip::tcp::socket> socket; // set when connected
  stage failed_at = stage::connect;
  reason why = reason::none;  // the tcp.* reason on failure; none when connected or unclassified
  std::string message;        // one sentence: who answered what, after how long
  net::ip::tcp::endpoint local;
  double connect_ms = 0;      // until SYN-ACK, RST, ICMP, local error or the deadline
  // The kernel's own SYN to SYN-ACK time: tcpi_rtt holds exactly that one
  // sample right after the handshake. connect_ms also counts the wait until this
  // coroutine runs again, which on a busy monitor is the event loop's queue, not
  // the network. None when the SYN was retransmitted (Karn's rule: no sample).
  std::optional<double> handshake_ms;
  int syns_sent = 0;
  bool timed_out = false;     // the deadline ended the attempt
  boost::system::error_code error;
  std::optional<icmp_error> icmp;
  std::optional<tcp_info_snapshot> info; // right after the handshake (or at failure)

  bool connected() const { return socket.has_value(); }
  // What expectations judge: the handshake where the kernel measured it, else connect_ms.
  double network_ms() const { return handshake_ms.value_or(connect_ms); }

  nlohmann::json details() const; // the evidence: local, connect_ms, handshake_ms, syns_sent, tcp_info, error
};

net::awaitable<connect_report> connect_with_diagnostics(net::any_io_executor executor,
                                                        net::ip::tcp::endpoint remote, connect_options options);

// Closes a connection. `abortive`: SO_LINGER 0, so a RST ends it and no
// TIME_WAIT is left on this host. Otherwise a FIN, after discarding unread bytes
// (unread data would make the kernel send a RST instead).
void close_connection(net::ip::tcp::socket& socket, bool abortive);

} // namespace edgeprobe
