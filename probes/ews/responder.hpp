// The Exchange reference responder: Autodiscover (POX and SOAP) and EWS over
// HTTPS, with the authentication an on-premises Exchange 2013-2019 front end
// (IIS) asks for, so the ews and http probes have a server that answers the
// way Exchange does, on loopback, in the tests and in `edgeprobe listen`.
//
//   POST /autodiscover/autodiscover.xml  POX Autodiscover ([MS-OXDSCLI] 3.2.5)
//   POST /autodiscover/autodiscover.svc  SOAP GetUserSettings ([MS-OXWSADISC])
//   POST /EWS/Exchange.asmx              EWS GetFolder, GetUserOofSettings
//   plain HTTP: GET /autodiscover/autodiscover.xml  302 to HTTPS, the
//                "HTTP redirect method" ([MS-OXDISCO]: the GET to
//                http://autodiscover.DOMAIN; the indirect attempt of [MS-OXWSADISC])
//
// Authentication as IIS does it: a 401 listing Negotiate, NTLM and Basic;
// Basic authenticates one request; NTLM ([MS-NLMP]) authenticates the
// connection after the three legs, the CHALLENGE remembered per connection and
// the AUTHENTICATE verified server-side (NTLMv2). Negotiate is listed, as IIS
// lists it, but its tokens are never accepted: there is no Kerberos here.
//
// Split in two: ews_answer() is pure (one parsed request and the connection's
// auth state in, one response out) and carries every decision; the serve loop
// around it only moves bytes through Boost.Beast's parser and serializer.
//
// Secrets: passwords and Authorization values are never logged, echoed or put
// in a response; a refused login looks the same whichever part was wrong.
#pragma once
#include "net/tcp_responder.hpp"
#include "probes/ews/autodiscover_xml.hpp"
#include "probes/ews/ews_soap.hpp"
#include "probes/tls/responder.hpp"
#include "wire/ntlm/ntlm.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgeprobe {

// One mailbox the responder knows: its SMTP address, the login that opens it
// ("alice", or "CONTOSO\\alice" to name the domain; the address works as a
// UPN login too), the password, and the display name Autodiscover hands out.
struct ews_mailbox {
  std::string email, user, password, display_name;
};

struct ews_responder_options {
  std::vector<ews_mailbox> mailboxes;
  // What Autodiscover hands out as EwsUrl (and ASUrl, OOFUrl, as Exchange does),
  // e.g. "https://127.0.0.1:PORT/EWS/Exchange.asmx". Empty: built from the
  // request's Host header, "https://HOST/EWS/Exchange.asmx" (a listener on an
  // ephemeral port cannot know its URL before it is bound).
  std::string ews_url;
  // The schemes the 401 offers, one WWW-Authenticate header each, in this
  // order (IIS's default provider order): Negotiate, NTLM, Basic realm="...".
  bool offer_negotiate = true, offer_ntlm = true, offer_basic = true;
  std::string basic_realm = "EWS01";
  // Exchange asks for credentials on Autodiscover too; false answers it anonymously.
  bool autodiscover_requires_auth = true;
  // By email (lowercase): the answer for that address instead of the mailbox's
  // settings (redirectAddr, redirectUrl, an error), for the tests' stories.
  // Applies to addresses that are no mailbox here as well.
  std::map<std::string, autodiscover::pox_response> autodiscover_overrides;
  // Plain HTTP listener: GET /autodiscover/autodiscover.xml answers 302 with
  // this Location. Empty: that GET is answered like any other request.
  std::string https_redirect_url;
  // The NTLM CHALLENGE's names ([MS-NLMP] 2.2.1.2, AV_PAIRs of 2.2.2.1): NetBIOS
  // domain and computer, and the DNS domain (the DNS computer name is
  // lowercase(server) + "." + dns domain).
  std::string ntlm_domain = "EDGEPROBE", ntlm_server = "EWS01", ntlm_dns_domain = "edgeprobe.test";
  // ServerVersionInfo of every EWS answer (Exchange 2016 CU23 by default).
  ews::server_version version{15, 1, 2507, 6, "V2017_07_11"};
  // A connection silent this long is closed; also bounds every read and write.
  // ews_https_options/ews_http_options copy it into tcp.idle_timeout.
  std::chrono::milliseconds idle_timeout{10000};
};

// One HTTP request as the serve loop parsed it (headers in arrival order,
// names as sent), and the answer to write back.
struct ews_http_request {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first value of header `name` (ASCII case ignored), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

struct ews_http_response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers; // Content-Length is added when serialised
  std::string body;
  bool close = false; // close the connection after this answer
  // Every value of header `name` (ASCII case ignored), in order.
  std::vector<std::string> values(std::string_view name) const;
  std::string value(std::string_view name) const; // the first, or ""
};

// What a connection carries from one request to the next: the NTLM CHALLENGE
// sent on it (one use: cleared when an AUTHENTICATE is judged against it), and
// the mailbox (its email address, lowercase) NTLM authenticated it as.
struct ews_connection_state {
  std::optional<ntlm::challenge_message> challenge_sent;
  std::optional<std::string> authenticated_mailbox;
};

// The HTTPS answer to one request: routing (404), authentication (401 and the
// NTLM legs), method (405), then Autodiscover or EWS. Pure apart from the
// random NTLM server challenge and the clock in its timestamp.
ews_http_response ews_answer(const ews_http_request& request, ews_connection_state& state,
                             const ews_responder_options& options);

// The plain-HTTP answer: the redirect method's 302 when https_redirect_url is
// set, otherwise the same as ews_answer.
ews_http_response ews_plain_http_answer(const ews_http_request& request, ews_connection_state& state,
                                        const ews_responder_options& options);

// Listener options for tls_responder (HTTPS, serve_session set) and for
// tcp_responder (plain HTTP, serve_connection set). Each connection is served
// with keep-alive until the client closes, says Connection: close, stays idle
// for idle_timeout, or sends a malformed request (400, then close).
tls_responder_options ews_https_options(ews_responder_options options, tls_server_settings tls);
tcp_responder_options ews_http_options(ews_responder_options options);

} // namespace edgeprobe
