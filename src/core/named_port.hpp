// NAME or NAME=PORT, as `listen` flags name the services a directory
// responder lists (--sql-instance SALES=1433, --epm-interface samr=49700).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

struct named_port {
  std::string name;
  std::uint16_t port = 0; // 0 or none given: an ephemeral port
};

// nullopt when the port part is not a number up to 65535.
std::optional<named_port> parse_named_port(std::string_view text);

} // namespace edgeprobe
