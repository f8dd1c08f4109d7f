// The Exchange reference responder (see responder.hpp): routing, then
// authentication (responder_auth), then the Autodiscover and EWS answers
// (responder_bodies); the serve loop is responder_serve.
#include "probes/ews/responder.hpp"

#include "probes/ews/responder_answers.hpp"
#include "probes/ews/responder_auth.hpp"
#include "probes/ews/responder_bodies.hpp"
#include "probes/ews/responder_serve.hpp"
#include "probes/http/exchange.hpp"
#include "wire/ascii.hpp"

#include <memory>

namespace edgeprobe {

namespace {

using namespace ews_responder;

enum class route { none, pox, soap, ews };

// IIS matches paths without regard to case; the query string plays no part.
route route_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (iequals_ascii(path, "/autodiscover/autodiscover.xml")) return route::pox;
  if (iequals_ascii(path, "/autodiscover/autodiscover.svc")) return route::soap;
  if (iequals_ascii(path, "/ews/exchange.asmx")) return route::ews;
  return route::none;
}

} // namespace

std::optional<std::string> ews_http_request::header(std::string_view name) const {
  auto all = field_values(headers, name);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

std::vector<std::string> ews_http_response::values(std::string_view name) const { return field_values(headers, name); }

std::string ews_http_response::value(std::string_view name) const { return field_value(headers, name); }

// IIS order: the path first (an unknown one is 404 before any login), then
// authentication (Exchange's Autodiscover and EWS virtual directories allow
// no anonymous access), then the handler (which judges the method).
ews_http_response ews_answer(const ews_http_request& request, ews_connection_state& state,
                             const ews_responder_options& options) {
  const route where = route_of(request.target);
  if (where == route::none) return not_found();
  const ews_mailbox* who = nullptr;
  if (where == route::ews || options.autodiscover_requires_auth) {
    auth_verdict verdict = authenticate(request, state, options);
    if (!verdict.mailbox) return std::move(verdict.refusal);
    who = verdict.mailbox;
  }
  switch (where) {
  case route::pox: return pox_answer(request, options);
  case route::soap: return soap_answer(request, options);
  case route::ews: return ews_service_answer(request, *who, options);
  case route::none: break;
  }
  return not_found();
}

// The HTTP redirect method: an unauthenticated GET on plain HTTP answered with
// a 302 to the HTTPS Autodiscover URL ([MS-OXDISCO]: a client that GETs
// http://autodiscover.DOMAIN/autodiscover/autodiscover.xml follows the 302;
// Exchange sites do it with an IIS HTTP Redirect on that host).
ews_http_response ews_plain_http_answer(const ews_http_request& request, ews_connection_state& state,
                                        const ews_responder_options& options) {
  if (!options.https_redirect_url.empty() && request.method == "GET" && route_of(request.target) == route::pox) {
    ews_http_response r = text_answer(302, "");
    r.headers.emplace_back("Location", options.https_redirect_url);
    return r;
  }
  return ews_answer(request, state, options);
}

tls_responder_options ews_https_options(ews_responder_options options, tls_server_settings tls) {
  tls_responder_options out;
  out.tls = std::move(tls);
  out.tcp.idle_timeout = options.idle_timeout;
  auto shared = std::make_shared<const ews_responder_options>(std::move(options));
  out.serve_session = [shared](tls_session& session, net::ip::tcp::socket&) { return serve_https(shared, session); };
  return out;
}

tcp_responder_options ews_http_options(ews_responder_options options) {
  tcp_responder_options out;
  out.idle_timeout = options.idle_timeout;
  auto shared = std::make_shared<const ews_responder_options>(std::move(options));
  out.serve_connection = [shared](net::ip::tcp::socket& socket) { return serve_plain_http(shared, socket); };
  return out;
}

} // namespace edgeprobe
