#include "net/udp_evidence.hpp"

#include "net/endpoint_text.hpp"

namespace edgeprobe {

clock::time_point first_sent(const udp_report& r) {
  return r.transmissions.empty() ? r.started : r.transmissions.front().sent;
}

std::string datagrams_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " datagram" : " datagrams"); }

nlohmann::json transmissions_json(const udp_report& r, clock::time_point origin) {
  auto transmissions = nlohmann::json::array();
  for (const auto& t : r.transmissions) {
    nlohmann::json item = {{"t_ms", to_ms(t.sent - origin)}};
    if (t.rtt) item["rtt_ms"] = to_ms(*t.rtt);
    transmissions.push_back(std::move(item));
  }
  return transmissions;
}

std::string icmp_text(const udp_report& r) {
  const auto& e = *r.icmp;
  std::string text = describe(e);
  if (e.from) text += " from " + e.from->to_string();
  text += " after " + ms_text(e.received - first_sent(r));
  return text;
}

void judge_local_error(const udp_report& r, const std::string& target, std::uint16_t source_port, verdict& v) {
  namespace errc = boost::system::errc;
  if (r.failed_step == "bind") {
    v.raise(status::error, reason::config_invalid,
            "cannot bind UDP source port " + std::to_string(source_port) + " on this host: " + r.error.message());
  } else if (r.error == errc::network_unreachable || r.error == errc::host_unreachable) {
    v.raise(status::fail, reason::tcp_no_route, "this host has no route to " + target + ": " + r.error.message());
  } else if (r.error == errc::operation_not_permitted || r.error == errc::permission_denied) {
    v.raise(status::fail, reason::tcp_admin_prohibited,
            "this host's own firewall refused to send to " + target + ": " + r.error.message());
  } else {
    v.raise(status::error, reason::internal_error,
            "UDP " + r.failed_step + " toward " + target + " failed on this host: " + r.error.message());
  }
}

} // namespace edgeprobe
