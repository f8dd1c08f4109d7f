// The kernel's own view of a TCP connection (Linux TCP_INFO), reduced to what an
// engineer reads instead of opening Wireshark: RTT, MSS both ways, window scaling,
// negotiated options, the peer's advertised window, SYN retransmissions.
#pragma once
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace edgeprobe {

namespace net = boost::asio;

struct tcp_info_snapshot {
  std::string state;              // "established", "syn_sent", "close", ...
  double rtt_ms = 0;              // smoothed RTT
  double rttvar_ms = 0;
  std::uint32_t snd_mss = 0;      // payload per segment we send: the peer's MSS less TCP options
  std::uint32_t rcv_mss = 0;      // the kernel's estimate of the peer's segment size
  std::uint32_t advmss = 0;       // the MSS this host advertised in its SYN
  std::uint32_t pmtu = 0;
  std::optional<int> snd_wscale; // set only when window scaling was negotiated
  std::optional<int> rcv_wscale;
  bool sack = false;
  bool timestamps = false;
  bool ecn = false;               // ECN negotiated in the handshake
  std::optional<std::uint32_t> peer_window; // tcpi_snd_wnd (bytes, scaled); unset on old kernels
  std::uint32_t retransmits = 0;  // tcpi_total_retrans: in SYN_SENT, the SYN retransmissions
  std::uint32_t unacked = 0;      // segments sent and not yet acknowledged

  // The segment size the path allows (the peer's MSS option, or less when the
  // path MTU is smaller): snd_mss with the timestamp option's 12 bytes added
  // back, so a clean 1500-byte path reads 1460 whether or not timestamps are on.
  std::uint32_t path_mss() const { return snd_mss + (timestamps ? 12u : 0u); }
};

// nullopt when the socket is not open or the platform has no TCP_INFO.
std::optional<tcp_info_snapshot> read_tcp_info(net::ip::tcp::socket& socket);

nlohmann::json to_json(const tcp_info_snapshot& info);

// The members of to_json's object in key order, as out(key, value): value is a
// std::string, double, std::uint32_t, bool or std::optional of a number (null
// when unset). to_json and the JSON report's direct writer both walk this.
template <class Out> void tcp_info_members(const tcp_info_snapshot& info, Out&& out) {
  out("advmss", info.advmss);
  out("ecn", info.ecn);
  out("path_mss", info.path_mss());
  out("peer_window", info.peer_window);
  out("pmtu", info.pmtu);
  out("rcv_mss", info.rcv_mss);
  out("rcv_wscale", info.rcv_wscale);
  out("retransmits", info.retransmits);
  out("rtt_ms", info.rtt_ms);
  out("rttvar_ms", info.rttvar_ms);
  out("sack", info.sack);
  out("snd_mss", info.snd_mss);
  out("snd_wscale", info.snd_wscale);
  out("state", info.state);
  out("timestamps", info.timestamps);
}

} // namespace edgeprobe
