// Why a TLS handshake did not finish, as a reason an engineer can act on.
#pragma once
#include "core/result.hpp"
#include "net/tls_session.hpp"

#include <string>

namespace edgeprobe {

struct handshake_context {
  std::string served_by;          // "192.0.2.10:443"
  std::string sni;                // "" : none sent
  bool client_cert_requested = false;
  bool client_cert_configured = false;
  int min_version = 0;            // what this client offered
  int max_version = 0;
};

// Raises the finding for a failed handshake on `v`.
void judge_handshake_failure(const handshake_outcome& h, const handshake_context& c, verdict& v);

// What the first bytes of a non-TLS answer suggest is listening instead.
std::string guess_protocol(std::string_view first_bytes);

} // namespace edgeprobe
