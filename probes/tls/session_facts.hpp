// What a finished (or failed) handshake shows, read off the OpenSSL session:
// the negotiation, the chain as sent, its verification, and whether and how the
// server asked for a client certificate — as facts for judge_tls() and as
// evidence.
#pragma once
#include "net/tls_session.hpp"
#include "probes/tls/judge.hpp"

#include <nlohmann/json.hpp>

namespace edgeprobe {

struct client_ca_list {
  std::vector<std::string> names; // as the server sent them
  std::size_t bytes = 0;          // their size on the wire: 2 + DER length each
};

client_ca_list read_client_ca_list(const SSL* ssl);

// The peer's certificates as sent, leaf first (empty before the server's
// Certificate message arrived).
std::vector<ossl::x509> sent_chain(const SSL* ssl);

// Fills `facts` (version, chain, verification, client-certificate request) and
// returns the evidence: version, cipher, ALPN, OCSP stapling, verification,
// chain, leaf and earliest expiry, client-certificate request.
nlohmann::json read_session(const tls_session& session, X509_STORE* trust, tls_facts& facts);

} // namespace edgeprobe
