// The TLS handshake on a connected socket and its judgement, as the tls probe
// makes it: SNI, the `tls` phase, the reason behind a failed handshake, the
// whole chain in evidence, and every finding about the certificate. The tls
// probe runs it after connect (and STARTTLS); the http probe before its request.
#pragma once
#include "core/probe.hpp"
#include "net/tcp_connect.hpp"
#include "net/tls_session.hpp"
#include "probes/tls/judge.hpp"
#include "probes/tls/options.hpp"

#include <string>

namespace edgeprobe {

struct tls_step_outcome {
  bool handshake_ok = false; // the handshake finished (findings may still fail the check)
  bool usable = false;       // ...and the server did not drop the session right after (it can carry data)
  tls_facts facts;           // what the certificate judgement saw
};

// `details` receives sni, handshake_ms, bytes_received, alerts, first_bytes
// and tls, as the tls probe reports them; findings are raised on `v` (and so
// reach the check's details.problems, like every probe's).
// `host` is the name the target was given by (the default SNI and checked name).
net::awaitable<tls_step_outcome> handshake_and_judge(probe_context& ctx, const tls_config& cfg, tls_session& session,
                                                     const connect_report& connection, const std::string& served_by,
                                                     const std::string& host, nlohmann::json& details, verdict& v);

} // namespace edgeprobe
