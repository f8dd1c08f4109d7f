// The rpc-epm reference responder: an MS-RPC endpoint mapper on TCP that
// accepts a bind to the endpoint mapper interface, answers ept_map for its
// registrations (an ncacn_ip_tcp tower with the registered port) and pages
// through them for ept_lookup, ending with a null handle as Windows does. The address it puts in towers
// is configurable, to play a server behind NAT or a load balancer. For `demo`,
// `listen` and the tests; the services behind the ports are someone else's.
#pragma once
#include "net/tcp_responder.hpp"
#include "probes/rpc_epm/dcerpc.hpp"

#include <span>
#include <string>
#include <vector>

namespace edgeprobe {

struct epm_registration {
  dcerpc::syntax_id interface;
  std::uint16_t port = 0; // the ncacn_ip_tcp port ept_map names
  std::string annotation; // what ept_lookup shows next to it
};

struct epm_responder_options {
  std::vector<epm_registration> registrations;
  std::string tower_address; // IPv4 text in every tower; "": the address the client connected to
};

// One association's state, for the pure answer function.
struct epm_association {
  std::string local_address;  // where the client connected (tower address by default)
  std::uint16_t local_port = 0;
  bool bound = false;         // a bind to the endpoint mapper was accepted
  std::uint16_t context_id = 0;
  std::uint16_t max_frag = dcerpc::default_max_frag;
};

// The PDUs that answer one PDU from the client (none: ignore it). Pure.
std::vector<std::vector<std::uint8_t>> epm_answer(std::span<const std::uint8_t> pdu, epm_association& association,
                                                  const epm_responder_options& options);

// tcp_responder options that serve each connection as an endpoint mapper.
tcp_responder_options epm_responder_tcp_options(epm_responder_options options);

} // namespace edgeprobe
