#include "net/tcp_info.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstring>

namespace edgeprobe {

namespace {

// glibc's struct tcp_info stops at tcpi_total_retrans, and <linux/tcp.h> (which
// has the rest) cannot be included next to it. The kernel only ever appends to
// this structure, so later fields sit at fixed offsets: tcpi_snd_wnd is at byte
// 228. The kernel reports how many bytes it filled in, so an older kernel that
// lacks the field leaves peer_window unset instead of reading garbage.
constexpr std::size_t snd_wnd_offset = 228;
constexpr std::size_t buffer_size = 512;

std::string state_name(std::uint8_t state) {
  static constexpr std::array<const char*, 13> names = {
      "unknown",   "established", "syn_sent",   "syn_recv", "fin_wait1", "fin_wait2", "time_wait",
      "close",     "close_wait",  "last_ack",   "listen",   "closing",   "new_syn_recv"};
  return state < names.size() ? names[state] : "unknown";
}

} // namespace

std::optional<tcp_info_snapshot> read_tcp_info(net::ip::tcp::socket& socket) {
  if (!socket.is_open()) return std::nullopt;
  alignas(8) std::array<unsigned char, buffer_size> raw{};
  socklen_t length = raw.size();
  if (::getsockopt(socket.native_handle(), IPPROTO_TCP, TCP_INFO, raw.data(), &length) != 0)
    return std::nullopt;
  if (length < sizeof(tcp_info)) return std::nullopt;

  tcp_info base{};
  std::memcpy(&base, raw.data(), sizeof base);

  tcp_info_snapshot out;
  out.state = state_name(base.tcpi_state);
  out.rtt_ms = base.tcpi_rtt / 1000.0;
  out.rttvar_ms = base.tcpi_rttvar / 1000.0;
  out.snd_mss = base.tcpi_snd_mss;
  out.rcv_mss = base.tcpi_rcv_mss;
  out.advmss = base.tcpi_advmss;
  out.pmtu = base.tcpi_pmtu;
  if (base.tcpi_options & TCPI_OPT_WSCALE) {
    out.snd_wscale = static_cast<int>(base.tcpi_snd_wscale);
    out.rcv_wscale = static_cast<int>(base.tcpi_rcv_wscale);
  }
  out.sack = base.tcpi_options & TCPI_OPT_SACK;
  out.timestamps = base.tcpi_options & TCPI_OPT_TIMESTAMPS;
  out.ecn = base.tcpi_options & TCPI_OPT_ECN;
  out.retransmits = base.tcpi_total_retrans;
  out.unacked = base.tcpi_unacked;
  if (length >= snd_wnd_offset + sizeof(std::uint32_t)) {
    std::uint32_t window = 0;
    std::memcpy(&window, raw.data() + snd_wnd_offset, sizeof window);
    out.peer_window = window;
  }
  return out;
}

nlohmann::json to_json(const tcp_info_snapshot& info) {
  nlohmann::json j = nlohmann::json::object();
  tcp_info_members(info, [&](const char* key, const auto& value) {
    if constexpr (requires { value.has_value(); })
      j[key] = value ? nlohmann::json(*value) : nlohmann::json();
    else
      j[key] = value;
  });
  return j;
}

} // namespace edgeprobe
