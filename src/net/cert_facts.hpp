// What a certificate says, as plain values: the evidence the tls probe reports
// for every certificate of a chain, and the input its judgements work on.
// Pure: no I/O, no clock (days left are computed against a time passed in).
#pragma once
#include "net/openssl_handles.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

struct cert_facts {
  std::string subject;               // "CN=sip.contoso.com, O=Contoso, C=US" (RFC 2253 order)
  std::string issuer;
  std::string subject_cn;            // the (last) commonName, "" when there is none
  std::string serial;                // upper-case hex, as `openssl x509 -serial` prints it
  std::int64_t not_before = 0;       // seconds since the epoch, UTC
  std::int64_t not_after = 0;
  bool has_san_extension = false;
  std::vector<std::string> dns_names;    // dNSName entries, as written
  std::vector<std::string> ip_addresses; // iPAddress entries, as text
  std::vector<std::string> other_names;  // "email:…", "URI:…"
  std::string sha256;                // "AB:CD:…", as `openssl x509 -fingerprint -sha256`
  std::string key_type;              // RSA, EC, ED25519, …
  int key_bits = 0;
  std::string key_curve;             // EC only: "prime256v1"
  std::string signature_algorithm;   // "sha256WithRSAEncryption", "ecdsa-with-SHA256"
  bool is_ca = false;                // basicConstraints CA:TRUE
  bool self_issued = false;          // subject == issuer
  std::vector<std::string> ca_issuers; // AIA caIssuers URLs: where clients may fetch the issuer

  // The SANs as OpenSSL prints them: "DNS:a", "IP Address:127.0.0.1", "email:…".
  std::vector<std::string> san_list() const;
};

cert_facts read_cert_facts(X509* cert);

// Whole days from `now` to not_after, rounded down; once expired, -1 - the whole
// days since not_after (-1 in the first day after it).
std::int64_t days_left(const cert_facts& c, std::time_t now);

// A days_left value as people say it: "in 12 days", "in less than a day",
// "less than a day ago", "5 days ago" (whole days that have passed).
std::string relative_days(std::int64_t days_left);

// "2026-11-23T10:00:00Z"
std::string utc_text(std::int64_t seconds);

// The evidence object for one certificate (days left against `now`).
nlohmann::json to_json(const cert_facts& c, std::time_t now);

// A name as the tls probe shows it: RFC 2253 order and escaping, ", " between
// RDNs, UTF-8 kept — `openssl x509 -nameopt rfc2253,-esc_msb,sep_comma_plus_space`.
std::string name_text(const X509_NAME* name);

} // namespace edgeprobe
