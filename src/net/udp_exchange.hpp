// The one UDP request/response exchange every datagram probe uses (udp, stun/turn,
// sqlbrowser): an unconnected socket, retransmission on a schedule inside the
// deadline, ICMP errors from the error queue, and a report of all it saw.
#pragma once
#include "core/clock.hpp"
#include "net/icmp_errors.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

// When the request goes out: the first at once, each next one `rto` later, the
// wait doubling after each (RFC 5389 §7.2.1: 500 ms, 1 s, 2 s, ...). After the last
// transmission the exchange keeps listening until the deadline.
struct retransmission_schedule {
  clock::duration initial_rto = std::chrono::milliseconds(500);
  bool doubling = true;
  int max_transmissions = 7;

  // `transmissions` sends whose doubling waits exactly fill `window`, the last
  // wait being the longest: r, 2r, 4r, ... summing to `window`. For probes whose
  // only budget is the check's deadline.
  static retransmission_schedule fitted(clock::duration window, int transmissions);
};

// Decides whether a datagram is the answer (e.g. STUN checks the transaction ID).
// Datagrams it rejects are counted and the exchange keeps waiting.
using reply_acceptor = std::function<bool(std::span<const std::uint8_t> bytes, const net::ip::udp::endpoint& from)>;

struct udp_request {
  net::ip::udp::endpoint target;
  std::vector<std::uint8_t> payload;                // sent exactly as given (may be empty)
  retransmission_schedule schedule;
  std::optional<net::ip::address> source_address;   // unset: any
  std::uint16_t source_port = 0;                    // 0: an ephemeral port
  reply_acceptor accept;                            // unset: any datagram is the answer
};

struct udp_transmission {
  clock::time_point sent;
  std::optional<clock::duration> rtt; // on the transmission the answer is attributed to
};

enum class udp_outcome {
  answered,    // an accepted datagram came back
  icmp_error,  // an ICMP error (or a local error from the error queue) came back
  silence,     // nothing until the deadline
  local_error, // this host could not open, bind or send (`error`, `failed_step`)
};

struct udp_report {
  udp_outcome outcome = udp_outcome::silence;
  clock::time_point started;
  std::vector<udp_transmission> transmissions;

  // answered: the answer. The RTT goes to the last transmission sent before it
  // arrived: with identical retransmissions nobody can tell which one it answers.
  std::vector<std::uint8_t> answer;
  net::ip::udp::endpoint answer_from;
  clock::time_point answered_at;   // the kernel's receive stamp when it gave one
  bool arrival_stamped = false;    // answered_at is the kernel's, not the time edgeprobe read it
  bool from_other_address = false; // answer_from's address is not the target's (the clustered SQL story)
  bool from_other_port = false;
  std::size_t ignored = 0;         // datagrams the acceptor rejected

  std::optional<icmp_error> icmp;  // icmp_error: the first error queued

  // This side of the exchange: the address the kernel uses toward the target
  // (its routing choice, unless a source address was given) and the bound port.
  // A responder's "you=" is compared with this.
  net::ip::udp::endpoint local;

  boost::system::error_code error; // local_error: what failed ...
  std::string failed_step;         // ... and where: "open", "bind", "send", "receive"
};

// The RTT of the transmission the answer is attributed to; nullopt unanswered.
std::optional<clock::duration> answer_rtt(const udp_report& report);
// The kernel's arrival stamp of the answer, for phase_log::scope::end_arrived;
// nullopt unanswered or unstamped.
std::optional<clock::time_point> stamped_arrival(const udp_report& report);

// Runs one exchange. Never throws for network conditions; returns by `deadline`.
net::awaitable<udp_report> udp_exchange(udp_request request, clock::time_point deadline);

// The source address the kernel would pick toward `target` (a connect() on a
// scratch socket: a route lookup, no packet is sent). nullopt without a route.
std::optional<net::ip::address> route_source(const net::any_io_executor& executor,
                                             const net::ip::udp::endpoint& target,
                                             const std::optional<net::ip::address>& source_address = std::nullopt);

} // namespace edgeprobe
