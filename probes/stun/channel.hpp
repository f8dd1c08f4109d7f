// How the stun and turn probes talk to one server: request in, answer out, over
// UDP (retransmitted on the RFC schedule, every request from the same local
// port so a TURN allocation's 5-tuple holds), TCP or TLS (one connection,
// RFC 5389 §7.2.2 framing: messages back to back). Opening a stream channel
// records the connect (and tls) phases and raises the tcp.*/tls.* verdicts.
#pragma once
#include "core/probe.hpp"
#include "core/result.hpp"
#include "net/udp_exchange.hpp"
#include "probes/stun/options.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct stun_reply {
  enum class ended {
    answered,   // `bytes` is the answer with the request's transaction ID
    silence,    // nothing until the deadline (UDP: after every retransmission)
    icmp_error, // UDP: an ICMP error came back (`udp.icmp`)
    closed,     // stream: the server closed or reset the connection (`detail`)
    local_error // this host could not send (`detail`; UDP: `udp`)
  };
  ended how = ended::silence;
  std::vector<std::uint8_t> bytes;
  net::ip::udp::endpoint from;   // who answered (for streams: the peer)
  bool from_other_address = false;
  double rtt_ms = 0;
  std::optional<clock::time_point> arrived; // UDP: the kernel's stamp on the answer
  std::string detail;
  std::optional<udp_report> udp; // the UDP exchange behind it
  nlohmann::json evidence;       // transmissions (UDP), bytes sent and received
};

class stun_channel {
public:
  virtual ~stun_channel() = default;
  // Sends `request` and waits for the answer carrying the same transaction ID
  // (bytes 4..19: the cookie and the 12-byte ID, or MS-TURN's 16-byte ID).
  virtual net::awaitable<stun_reply> exchange(std::vector<std::uint8_t> request, clock::time_point deadline) = 0;
  // The local end (the address the server sees when no NAT is in between).
  virtual net::ip::udp::endpoint local() const = 0;
  virtual net::awaitable<void> close(clock::time_point deadline) = 0;
};

// Opens the channel of `cfg.transport` to the context's address and port. On a
// stream transport that fails to connect or handshake, raises the reason on `v`
// (with its evidence in v.details) and returns nullptr.
net::awaitable<std::unique_ptr<stun_channel>> open_stun_channel(probe_context& ctx, const stun_channel_settings& cfg,
                                                                verdict& v);

} // namespace edgeprobe
