// Verifies a certificate chain as a server sent it, against a trust store, at a
// given time — and keeps every problem found, not only the first, because an
// expired self-signed certificate is both expired and untrusted and the report
// must say both. The server name is not checked here (see name_match.hpp).
#pragma once
#include "net/openssl_handles.hpp"

#include <ctime>
#include <string>
#include <vector>

namespace edgeprobe {

struct chain_problem {
  int depth = 0;        // 0: the leaf; counted in the chain OpenSSL built
  int code = 0;         // X509_V_ERR_*
  std::string text;     // OpenSSL's text for the code
  std::string subject;  // the certificate it is about
};

struct chain_verdict {
  int code = 0;         // the first problem's code, 0 (X509_V_OK) when none
  std::string text;     // "ok" or the first problem's text
  std::vector<chain_problem> problems;
  std::vector<std::string> built; // subjects of the chain OpenSSL built, leaf first (the root included when found)
  bool ok() const { return problems.empty(); }
};

// `sent`: the peer's chain in the order it came, leaf first. `trust`: the roots.
// `at`: the time to verify at (now, for a probe).
chain_verdict verify_chain(const std::vector<ossl::x509>& sent, X509_STORE* trust, std::time_t at);

// A trust store: `ca_file` (PEM, one or more certificates) when given, else the
// system's (OpenSSL's default paths). Empty handle and `error` set on failure.
ossl::x509_store load_trust_store(const std::string& ca_file, std::string& error);

} // namespace edgeprobe
