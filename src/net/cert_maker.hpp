// Makes keys and X.509 certificates: the responder's self-signed certificate
// when none is configured (`edgeprobe demo`, `listen --tls`), and the test PKI
// (roots, intermediates, leaves that are expired, not yet valid, wildcard, …).
#pragma once
#include "net/openssl_handles.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace edgeprobe {

enum class key_kind { ec_p256, rsa_2048 };

ossl::pkey make_key(key_kind kind);

struct cert_request {
  std::string common_name;
  std::string organization;           // "" : none
  std::string organizational_unit;    // "" : none
  std::vector<std::string> dns_names; // subjectAltName dNSName entries
  std::vector<std::string> ip_addresses;
  bool san = true;                    // false: no subjectAltName extension at all (CN only)
  std::int64_t not_before = 0;        // seconds since the epoch
  std::int64_t not_after = 0;
  std::uint64_t serial = 1;
  bool ca = false;                    // basicConstraints CA:TRUE, keyCertSign
  bool server_auth = true;            // leaf: extendedKeyUsage serverAuth (+ clientAuth)
  std::string ca_issuers_url;         // authorityInfoAccess caIssuers, "" : none
};

// Signs with `issuer_key`, naming `issuer` as the issuer; both null: self-signed
// with `key`. Returns an empty handle (and `error`) on failure.
ossl::x509 make_certificate(const cert_request& request, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                            std::string& error);

std::string to_pem(X509* cert);
std::string to_pem(EVP_PKEY* key); // unencrypted PKCS#8

} // namespace edgeprobe
