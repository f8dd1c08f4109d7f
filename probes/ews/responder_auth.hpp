// Who an Exchange responder request comes from, as IIS decides it: Basic
// (RFC 7617), NTLM ([MS-NLMP]: NEGOTIATE answered with a CHALLENGE, the
// AUTHENTICATE verified against it on the same connection), Negotiate offered
// but refused. Internal to the responder.
#pragma once
#include "probes/ews/responder.hpp"

namespace edgeprobe::ews_responder {

struct auth_verdict {
  const ews_mailbox* mailbox = nullptr; // set: authenticated
  ews_http_response refusal;            // otherwise: the 401 to send
};

// A request without Authorization rides on the connection's NTLM login, as IIS
// lets it; one with Authorization is judged on that alone and drops whatever
// the connection had.
auth_verdict authenticate(const ews_http_request& request, ews_connection_state& state, const ews_responder_options& o);

} // namespace edgeprobe::ews_responder
