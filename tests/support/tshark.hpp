// Test helper: Wireshark's dissector as an independent reader of bytes this
// project writes — the datagram is wrapped into a pcap by text2pcap (UDP
// or one TCP segment between the given ports) and decoded by `tshark -V`.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::test {

// `tshark -V` of one UDP datagram; `preferences` are `-o NAME:VALUE` pairs
// (e.g. "stun.stunversion:MS-TURN").
std::string tshark_decode_udp(std::span<const std::uint8_t> payload, std::uint16_t source_port,
                              std::uint16_t destination_port, const std::vector<std::string>& preferences = {});

// The same for one TCP segment (no handshake: dissectors keyed on the port, such
// as TDS on 1433, still decode it).
std::string tshark_decode_tcp(std::span<const std::uint8_t> payload, std::uint16_t source_port,
                              std::uint16_t destination_port, const std::vector<std::string>& preferences = {});

} // namespace edgeprobe::test
