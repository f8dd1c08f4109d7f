// The RPC interfaces the rpc-epm probe knows by name, for its options and
// for naming enumerated endpoints in evidence.
#pragma once
#include "probes/rpc_epm/dcerpc_pdu.hpp"

#include <span>
#include <string_view>

namespace edgeprobe::dcerpc {

// ---------------------------------------------------------------- well-known interfaces

struct known_interface {
  std::string_view name;        // the probe's option value, lower case ("samr")
  std::string_view alias;       // a second accepted name ("mapi" for emsmdb), or ""
  std::string_view description; // for evidence: "SAM remote (MS-SAMR)"
  syntax_id id;
};

std::span<const known_interface> known_interfaces();
// By name or alias, case-insensitive ("SAMR", "mapi").
const known_interface* find_interface(std::string_view name);
// By UUID (any version), for naming endpoints in evidence; nullptr when unknown.
const known_interface* find_interface(const uuid& id);

} // namespace edgeprobe::dcerpc
