// What every datagram probe (udp, stun, turn, sqlbrowser) says about one
// udp_exchange: its transmissions as evidence, the ICMP error in words, and the
// verdict when this host itself could not send.
#pragma once
#include "core/result.hpp"
#include "net/udp_exchange.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace edgeprobe {

// When the first datagram left (the exchange's start if none did).
clock::time_point first_sent(const udp_report& r);

// [{"t_ms": 0.0}, {"t_ms": 500.2, "rtt_ms": 0.3}] — send times relative to `origin`.
nlohmann::json transmissions_json(const udp_report& r, clock::time_point origin);

// "port unreachable (ICMP type 3 code 3) from 10.0.0.1 after 0.4 ms"
std::string icmp_text(const udp_report& r);

// "2 datagrams"
std::string datagrams_text(std::size_t n);

// The verdict for udp_outcome::local_error: bind failures are configuration
// errors, a missing route or this host's own firewall are named as such.
void judge_local_error(const udp_report& r, const std::string& target, std::uint16_t source_port, verdict& v);

} // namespace edgeprobe
