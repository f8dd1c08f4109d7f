// The rpc-epm probe's options and expectations: their spec (for the loader,
// `edgeprobe probes rpc-epm` and the schema) and the typed configuration.
#pragma once
#include "core/probe.hpp"
#include "probes/rpc_epm/dcerpc.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace edgeprobe {

struct epm_config final : probe_config {
  std::optional<dcerpc::syntax_id> interface; // unset: no ept_map (list only)
  std::string interface_name;                 // as written ("samr" or the UUID)
  bool list = false;                          // enumerate with ept_lookup
  bool connect = true;                        // TCP connect to the mapped dynamic port
  bool registered = true;                     // expect.registered
  std::optional<std::uint16_t> port;          // expect.port
  std::optional<std::pair<std::uint16_t, std::uint16_t>> port_range; // expect.port_range
};

const probe_options& epm_option_specs();

std::shared_ptr<const epm_config> parse_epm_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
