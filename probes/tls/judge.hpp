// The tls probe's judgement of a completed handshake: what the certificates and
// the negotiation show, held against the check's expectations. Pure — facts in,
// findings out — so every reason is unit-tested without a server.
#pragma once
#include "core/result.hpp"
#include "net/cert_facts.hpp"
#include "net/chain_check.hpp"
#include "probes/tls/options.hpp"

#include <ctime>
#include <string>
#include <vector>

namespace edgeprobe {

struct tls_facts {
  std::string served_by;        // "192.0.2.10:443": the address that answered
  std::string checked_name;     // the name the certificate must cover ("" : none)
  int version = 0;              // TLS1_2_VERSION, …
  std::vector<cert_facts> chain; // as sent, leaf first
  chain_verdict verification;
  bool client_cert_requested = false;
  std::size_t client_ca_list_bytes = 0;
  std::time_t now = 0;
};

struct tls_finding {
  status state;
  reason why;
  std::string message;
};

// Every finding, most important first (the first is the result's reason; the
// rest are evidence): dates, then the name, then the chain's trust, then the
// expectations on names, issuer, version and client certificates, then how soon
// the chain expires.
std::vector<tls_finding> judge_tls(const tls_facts& facts, const tls_config& cfg);

} // namespace edgeprobe
