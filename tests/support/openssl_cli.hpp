// The openssl command line as an independent witness: what `openssl x509`
// says about a certificate file and what `openssl s_client` sees from a
// server, for comparison with the tls probe's evidence.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace edgeprobe::test {

// `openssl x509` on the first certificate of a PEM file, in the probe's formats
// (names with -nameopt rfc2253,-esc_msb,sep_comma_plus_space; dates ISO 8601).
struct x509_cli_facts {
  std::string subject, issuer, serial, not_before, not_after, sha256, signature_algorithm;
  int key_bits = 0;
  std::vector<std::string> sans; // "DNS:a", "IP Address:127.0.0.1"
};
x509_cli_facts openssl_x509(const std::filesystem::path& pem);

// `openssl s_client -connect 127.0.0.1:PORT [-starttls smtp]`, stdin closed at
// once: everything it printed (stdout and stderr).
std::string openssl_s_client(std::uint16_t port, const std::vector<std::string>& extra_args = {});

// The "Acceptable client certificate CA names" s_client printed, one per name.
std::vector<std::string> acceptable_ca_names(const std::string& s_client_output);

// Σ (2 + DER length) of the subject names of a PEM file's certificates: the
// size of the certificate_authorities list a server sends for that file.
std::size_t ca_list_bytes(const std::filesystem::path& pem);

} // namespace edgeprobe::test
