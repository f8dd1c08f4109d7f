// Certificates for the reference responders (`edgeprobe listen`, `edgeprobe
// demo`, the tests) when they are given none.
#pragma once
#include <string>
#include <vector>

namespace edgeprobe {

// A certificate chain for responders that were given none: a leaf for `dns_names`
// and `ip_addresses`, issued by a root made on the spot ("edgeprobe responder
// root"); the root is what a client's ca_file must hold to verify it.
struct generated_pki {
  std::string root_pem;
  std::string chain_pem; // the leaf only: the root is not sent
  std::string key_pem;
};
generated_pki generate_responder_pki(const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses, int valid_days = 30);

} // namespace edgeprobe
