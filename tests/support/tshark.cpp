#include "support/tshark.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>

namespace edgeprobe::test {

namespace {

// transport_flag: text2pcap's -u (UDP) or -T (TCP) header.
std::string decode(std::span<const std::uint8_t> payload, const char* transport_flag, std::uint16_t source_port,
                   std::uint16_t destination_port, const std::vector<std::string>& preferences) {
  temp_dir dir;
  // text2pcap's input: offset, then hex bytes, 16 per line.
  std::ostringstream hex;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    char cell[24];
    if (i % 16 == 0) {
      std::snprintf(cell, sizeof cell, "%06zx", i);
      hex << (i ? "\n" : "") << cell;
    }
    std::snprintf(cell, sizeof cell, " %02x", payload[i]);
    hex << cell;
  }
  hex << "\n";
  const auto text = dir.write("datagram.txt", hex.str());
  const auto pcap = dir.path() / "datagram.pcap";
  const auto wrapped = run_process({"text2pcap", "-q", transport_flag,
                                    std::to_string(source_port) + "," + std::to_string(destination_port),
                                    text.string(), pcap.string()});
  REQUIRE_MESSAGE(wrapped.exit_code == 0, wrapped.err);
  std::vector<std::string> argv{"tshark", "-r", pcap.string(), "-V"};
  for (const auto& p : preferences) argv.insert(argv.end(), {"-o", p});
  const auto decoded = run_process(argv);
  REQUIRE_MESSAGE(decoded.exit_code == 0, decoded.err);
  return decoded.out;
}

} // namespace

std::string tshark_decode_udp(std::span<const std::uint8_t> payload, std::uint16_t source_port,
                              std::uint16_t destination_port, const std::vector<std::string>& preferences) {
  return decode(payload, "-u", source_port, destination_port, preferences);
}

std::string tshark_decode_tcp(std::span<const std::uint8_t> payload, std::uint16_t source_port,
                              std::uint16_t destination_port, const std::vector<std::string>& preferences) {
  return decode(payload, "-T", source_port, destination_port, preferences);
}

} // namespace edgeprobe::test
