// Turns the dns probe's raw answers into a verdict and evidence: rcode, answers,
// CNAME chain and the check's expectations. Pure: no I/O, testable on bytes.
#pragma once
#include "core/result.hpp"
#include "net/resolver.hpp"
#include "probes/dns/options.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace edgeprobe {

// One question asked and what came back.
struct dns_exchange {
  std::uint16_t qtype = 0;
  dns_answer answer;
  double ms = 0; // from sending to the answer (or giving up)
};

// `address_lookup`: no `type` was set, so no answers means dns.no_address rather than dns.nodata.
verdict evaluate_dns(const dns_config& cfg, const std::string& name, bool address_lookup,
                     const std::vector<dns_exchange>& exchanges);

} // namespace edgeprobe
