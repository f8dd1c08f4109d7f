// A set of ports as suites and the command line write them: 443, [443, 5061],
// "2280-2290", or a list mixing both. The tcp probe's source_port sweep and
// `edgeprobe listen` read them the same way.
#pragma once
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

constexpr std::size_t max_sweep_ports = 1024;

// The ports in the order written; nullopt with `error` set for a bad item, a
// repeated port or more than max_sweep_ports.
std::optional<std::vector<std::uint16_t>> parse_port_set(const nlohmann::json& value, std::string& error);

} // namespace edgeprobe
