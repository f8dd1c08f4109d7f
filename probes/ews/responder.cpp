// The Exchange reference responder (see responder.hpp): the pure answer
// function (routing, IIS-style authentication, Autodiscover and EWS bodies)
// and the keep-alive serve loop that feeds Boost.Beast's request parser from
// a TLS session or a plain socket and writes Beast-serialised answers.
#include "probes/ews/responder.hpp"

#include "probes/http/exchange.hpp"

#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "net/tls_session.hpp"
#include "wire/ascii.hpp"
#include "wire/base64.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <exception>
#include <memory>
#include <sstream>

namespace edgeprobe {

namespace {

namespace beast_http = boost::beast::http;

// What one request may weigh: a real Autodiscover or EWS request is a few KiB;
// 64 KiB of headers leaves room for a Kerberos-sized Authorization.
constexpr std::uint32_t max_header_bytes = 64 * 1024;
constexpr std::uint64_t max_body_bytes = 1024 * 1024;

constexpr std::string_view xml_content_type = "text/xml; charset=utf-8";

// ---- small text helpers ----------------------------------------------------

// "https://host:port/path" -> "host" (what a Protocol's Server names).
std::string host_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  url = url.substr(0, url.find('/'));
  if (!url.empty() && url.front() == '[') return std::string(url.substr(1, url.find(']') - 1)); // IPv6 literal
  return std::string(url.substr(0, url.find(':')));
}

// The EwsUrl to hand out: the configured one, else the HTTPS URL of the host
// the client asked for. A Host with anything but host-name, address and port
// characters is not used (it would end up inside the answer).
std::string ews_url_for(const ews_http_request& request, const ews_responder_options& o) {
  if (!o.ews_url.empty()) return o.ews_url;
  const std::string host = std::string(trim_ows(request.header("Host").value_or("")));
  const bool usable = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  return "https://" + (usable ? host : std::string("localhost")) + "/EWS/Exchange.asmx";
}

// Now as a Windows FILETIME (100 ns ticks since 1601-01-01), for MsvAvTimestamp.
std::uint64_t filetime_now() {
  constexpr std::uint64_t unix_epoch_as_filetime = 116444736000000000ULL;
  const auto since_1970 = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return unix_epoch_as_filetime + static_cast<std::uint64_t>(since_1970.count() / 100);
}

// ---- canned answers -----------------------------------------------------------

ews_http_response xml_answer(unsigned status, std::string body) {
  return {status, {{"Content-Type", std::string(xml_content_type)}}, std::move(body)};
}

ews_http_response text_answer(unsigned status, std::string body) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
}

ews_http_response not_found() { return text_answer(404, "404 - File or directory not found.\r\n"); }

ews_http_response method_not_allowed() {
  auto r = text_answer(405, "405 - HTTP verb used to access this page is not allowed.\r\n");
  r.headers.emplace_back("Allow", "POST");
  return r;
}

// IIS's 401: one WWW-Authenticate per enabled provider, in provider order. The
// same answer for no credentials, unknown user and wrong password, so a
// refusal never tells which part was wrong.
ews_http_response unauthorized(const ews_responder_options& o) {
  auto r = text_answer(401, "401 - Unauthorized: Access is denied due to invalid credentials.\r\n");
  if (o.offer_negotiate) r.headers.emplace_back("WWW-Authenticate", "Negotiate");
  if (o.offer_ntlm) r.headers.emplace_back("WWW-Authenticate", "NTLM");
  if (o.offer_basic) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + o.basic_realm + "\"");
  // What Exchange's front end adds to say why (seen on every Exchange 401).
  r.headers.emplace_back("X-CasErrorCode", "UnauthenticatedRequest");
  return r;
}

// ---- routing -------------------------------------------------------------------

enum class route { none, pox, soap, ews };

// IIS matches paths without regard to case; the query string plays no part.
route route_of(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (iequals_ascii(path, "/autodiscover/autodiscover.xml")) return route::pox;
  if (iequals_ascii(path, "/autodiscover/autodiscover.svc")) return route::soap;
  if (iequals_ascii(path, "/ews/exchange.asmx")) return route::ews;
  return route::none;
}

// ---- who is who -----------------------------------------------------------------

const ews_mailbox* mailbox_by_email(std::string_view email, const ews_responder_options& o) {
  for (const auto& m : o.mailboxes)
    if (iequals_ascii(m.email, email)) return &m;
  return nullptr;
}

struct login_name {
  std::string domain, name; // domain "" when the login named none
};

// "CONTOSO\alice" -> {CONTOSO, alice}; "alice" and "alice@contoso.com" stay whole.
login_name split_login(std::string_view login) {
  const auto slash = login.find('\\');
  if (slash == std::string_view::npos) return {"", std::string(login)};
  return {std::string(login.substr(0, slash)), std::string(login.substr(slash + 1))};
}

// Whether a login (name and domain as the client sent them) names mailbox `m`.
// As Windows does: names and domains compare without case; a login without a
// domain is accepted; a mailbox user without a domain belongs to the server's
// (NetBIOS or DNS) domain; the mailbox's address works as a UPN login.
bool login_matches(const ews_mailbox& m, std::string_view name, std::string_view domain, const ews_responder_options& o) {
  const login_name own = split_login(m.user);
  if (iequals_ascii(name, own.name)) {
    if (domain.empty()) return true;
    if (!own.domain.empty()) return iequals_ascii(domain, own.domain);
    return iequals_ascii(domain, o.ntlm_domain) || iequals_ascii(domain, o.ntlm_dns_domain);
  }
  return domain.empty() && iequals_ascii(name, m.email);
}

// Constant time for equal lengths (the length itself is not hidden).
bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---- Basic (RFC 7617) ---------------------------------------------------------------

const ews_mailbox* basic_login(std::string_view token, const ews_responder_options& o) {
  const auto decoded = base64_decode(trim_ows(token));
  if (!decoded) return nullptr;
  std::string text(decoded->begin(), decoded->end());
  const ews_mailbox* found = nullptr;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    const login_name who = split_login(std::string_view(text).substr(0, colon));
    const std::string_view password = std::string_view(text).substr(colon + 1);
    for (const auto& m : o.mailboxes)
      if (!found && login_matches(m, who.name, who.domain, o) && same_secret(m.password, password)) found = &m;
  }
  OPENSSL_cleanse(text.data(), text.size()); // the password leaves memory with the request
  return found;
}

// ---- NTLM ([MS-NLMP]) ----------------------------------------------------------------

// MessageType of an NTLMSSP message (2.2.1: Signature "NTLMSSP\0", then a
// 32-bit little-endian type): 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE.
std::uint32_t ntlm_message_type(const ntlm::bytes& message) {
  static constexpr std::array<std::uint8_t, 8> signature{'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
  if (message.size() < 12 || !std::equal(signature.begin(), signature.end(), message.begin())) return 0;
  return static_cast<std::uint32_t>(message[8]) | static_cast<std::uint32_t>(message[9]) << 8 |
         static_cast<std::uint32_t>(message[10]) << 16 | static_cast<std::uint32_t>(message[11]) << 24;
}

// The CHALLENGE_MESSAGE for a client's NEGOTIATE ([MS-NLMP] 3.2.5.1.1): the
// flags answer_flags() gives, a random ServerChallenge, the TargetName the
// TARGET_TYPE_SERVER flag promises, and the TargetInfo a Windows server sends
// (NetBIOS domain and computer, DNS domain and computer, MsvAvTimestamp; the
// timestamp makes an NTLMv2 client answer with Z(24) as LMv2).
std::optional<ntlm::challenge_message> make_challenge(const ntlm::negotiate_message& negotiate,
                                                      const ews_responder_options& o) {
  ntlm::challenge_message c;
  c.flags = ntlm::answer_flags(negotiate.flags);
  if (RAND_bytes(c.server_challenge.data(), static_cast<int>(c.server_challenge.size())) != 1) return std::nullopt;
  if (c.flags & ntlm::flag::request_target) c.target_name = o.ntlm_server;
  c.target_info = {
      ntlm::text_pair(ntlm::av::nb_domain_name, o.ntlm_domain),
      ntlm::text_pair(ntlm::av::nb_computer_name, o.ntlm_server),
      ntlm::text_pair(ntlm::av::dns_domain_name, o.ntlm_dns_domain),
      ntlm::text_pair(ntlm::av::dns_computer_name, lower_ascii(o.ntlm_server) + "." + o.ntlm_dns_domain),
      ntlm::timestamp_pair(filetime_now()),
  };
  return c;
}

struct auth_verdict {
  const ews_mailbox* mailbox = nullptr; // set: authenticated
  ews_http_response refusal;            // otherwise: the 401 to send
};

auth_verdict refused(const ews_responder_options& o) { return {nullptr, unauthorized(o)}; }

// Leg 1: answer the NEGOTIATE with a CHALLENGE, remembered on the connection.
// The 401 keeps the connection open: NTLM authenticates the connection, so
// the AUTHENTICATE must arrive on this one.
auth_verdict ntlm_negotiate_leg(const ntlm::bytes& message, ews_connection_state& state,
                                const ews_responder_options& o) {
  const auto negotiate = ntlm::parse_negotiate(message);
  if (!negotiate) return refused(o);
  auto challenge = make_challenge(*negotiate.value, o);
  if (!challenge) return refused(o); // no randomness, no challenge: better no login than a guessable one
  ews_http_response r = text_answer(401, "");
  r.headers.emplace_back("WWW-Authenticate", ntlm::header_value(ntlm::build_challenge(*challenge)));
  state.challenge_sent = std::move(challenge);
  return {nullptr, std::move(r)};
}

// Leg 3: verify the AUTHENTICATE against the CHALLENGE sent on this connection
// ([MS-NLMP] 3.2.5.1.2), trying every mailbox whose login it names. The
// challenge is spent either way, so an answer cannot be replayed.
auth_verdict ntlm_authenticate_leg(const ntlm::bytes& message, ews_connection_state& state,
                                   const ews_responder_options& o) {
  if (!state.challenge_sent) return refused(o); // no CHALLENGE on this connection: nothing to verify against
  const ntlm::challenge_message sent = std::move(*state.challenge_sent);
  state.challenge_sent.reset();
  const auto authenticate = ntlm::parse_authenticate(message);
  if (!authenticate || authenticate.value->user.empty()) return refused(o); // anonymous is no login
  const auto& m = *authenticate.value;
  for (const auto& mailbox : o.mailboxes) {
    if (login_matches(mailbox, m.user, m.domain, o) && ntlm::verify_ntlmv2(m, sent, mailbox.password)) {
      state.authenticated_mailbox = lower_ascii(mailbox.email);
      return {&mailbox, {}};
    }
  }
  return refused(o);
}

auth_verdict ntlm_login(std::string_view header, ews_connection_state& state, const ews_responder_options& o) {
  const auto message = ntlm::from_header_value(header);
  if (!message) return refused(o);
  switch (ntlm_message_type(*message)) {
  case 1: return ntlm_negotiate_leg(*message, state, o);
  case 3: return ntlm_authenticate_leg(*message, state, o);
  default: return refused(o);
  }
}

// Who the request comes from. A request without Authorization rides on the
// connection's NTLM login, as IIS lets it; one with Authorization is judged on
// that alone and drops whatever the connection had.
auth_verdict authenticate(const ews_http_request& request, ews_connection_state& state, const ews_responder_options& o) {
  const auto authorization = request.header("Authorization");
  if (!authorization) {
    const ews_mailbox* known = state.authenticated_mailbox ? mailbox_by_email(*state.authenticated_mailbox, o) : nullptr;
    return known ? auth_verdict{known, {}} : refused(o);
  }
  state.authenticated_mailbox.reset();
  const std::string_view value = trim_ows(*authorization);
  const std::string_view scheme = value.substr(0, value.find(' '));
  if (iequals_ascii(scheme, "NTLM") && o.offer_ntlm) return ntlm_login(value, state, o);
  state.challenge_sent.reset();
  if (iequals_ascii(scheme, "Basic") && o.offer_basic) {
    const ews_mailbox* who = basic_login(value.substr(scheme.size()), o);
    return who ? auth_verdict{who, {}} : refused(o);
  }
  // Negotiate (SPNEGO, RFC 4559) is offered because IIS offers it and clients
  // pick it first when they can, but never accepted: without a KDC there is no
  // Kerberos ticket to check, and an NTLM token wrapped in SPNEGO is refused
  // too, which sends a client to the NTLM scheme. Unknown schemes likewise.
  return refused(o);
}

// ---- Autodiscover POX ([MS-OXDSCLI]) -------------------------------------------------

autodiscover::pox_response pox_error(std::string code, std::string message) {
  autodiscover::pox_response r;
  r.what = autodiscover::pox_response::kind::error;
  r.error_code = std::move(code);
  r.error_message = std::move(message);
  return r;
}

// A settings answer as Exchange 2013+ gives it: EXCH (inside) and EXPR
// (outside, Outlook Anywhere) protocols, each with EwsUrl, and ASUrl and
// OOFUrl pointing at the same EWS endpoint.
autodiscover::pox_response mailbox_settings(const ews_mailbox& m, const std::string& ews_url) {
  autodiscover::pox_response r;
  r.what = autodiscover::pox_response::kind::settings;
  r.display_name = m.display_name;
  for (const char* type : {"EXCH", "EXPR"}) r.protocols.push_back({type, host_of(ews_url), ews_url, ews_url, ews_url});
  return r;
}

// [MS-OXDSCLI] 3.2.5: a redirect or an error when the story says so, the
// settings of a known mailbox, else Error 500 (the code and text Exchange uses
// for an address it does not host).
autodiscover::pox_response pox_for(std::string_view email, const std::string& ews_url, const ews_responder_options& o) {
  if (const auto it = o.autodiscover_overrides.find(lower_ascii(email)); it != o.autodiscover_overrides.end())
    return it->second;
  if (const ews_mailbox* m = mailbox_by_email(email, o)) return mailbox_settings(*m, ews_url);
  return pox_error("500", "The email address can't be found.");
}

// Exchange answers a GET (a browser, a health check) and a body that is no
// Autodiscover request with HTTP 200 and Error 600 "Invalid Request".
ews_http_response pox_answer(const ews_http_request& request, const ews_responder_options& o) {
  if (request.method == "GET") return xml_answer(200, build_pox_response(pox_error("600", "Invalid Request")));
  if (request.method != "POST") return method_not_allowed();
  const auto asked = autodiscover::parse_pox_request(request.body);
  if (!asked) return xml_answer(200, build_pox_response(pox_error("600", "Invalid Request")));
  return xml_answer(200, build_pox_response(pox_for(*asked.value, ews_url_for(request, o), o)));
}

// ---- Autodiscover SOAP ([MS-OXWSADISC]) ----------------------------------------------

// The value of one setting Exchange would hand out for `m`; nullopt for a
// setting this responder does not know (Exchange lists those under
// UserSettingErrors, which the builder does not write; they are left out).
std::optional<std::string> setting_value(std::string_view name, std::string_view ews_url, std::string_view display_name) {
  if (iequals_ascii(name, "ExternalEwsUrl") || iequals_ascii(name, "InternalEwsUrl")) return std::string(ews_url);
  if (iequals_ascii(name, "UserDisplayName")) return std::string(display_name);
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> requested_settings(const std::vector<std::string>& asked,
                                                                    std::string_view ews_url,
                                                                    std::string_view display_name) {
  static const std::vector<std::string> everything{"ExternalEwsUrl", "InternalEwsUrl", "UserDisplayName"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& name : asked.empty() ? everything : asked)
    if (auto value = setting_value(name, ews_url, display_name)) out.emplace_back(name, std::move(*value));
  return out;
}

// An override in SOAP terms: RedirectAddress / RedirectUrl with RedirectTarget,
// InvalidUser for a "can't be found" error, settings as NoError.
autodiscover::soap_response soap_override(const autodiscover::pox_response& p, const std::vector<std::string>& asked) {
  autodiscover::soap_response r;
  using kind = autodiscover::pox_response::kind;
  switch (p.what) {
  case kind::redirect_addr:
    r.error_code = "RedirectAddress";
    r.error_message = "Redirection address.";
    r.redirect_target = p.redirect;
    break;
  case kind::redirect_url:
    r.error_code = "RedirectUrl";
    r.error_message = "Redirection URL.";
    r.redirect_target = p.redirect;
    break;
  case kind::error:
    r.error_code = p.error_code == "500" ? "InvalidUser" : "InternalServerError";
    r.error_message = p.error_message;
    break;
  case kind::settings:
    r.error_code = "NoError";
    r.settings = requested_settings(asked, p.ews_url(), p.display_name);
    break;
  }
  return r;
}

autodiscover::soap_response soap_for(const autodiscover::soap_request_parsed& asked, const std::string& ews_url,
                                     const ews_responder_options& o) {
  if (const auto it = o.autodiscover_overrides.find(lower_ascii(asked.email)); it != o.autodiscover_overrides.end())
    return soap_override(it->second, asked.settings);
  autodiscover::soap_response r;
  if (const ews_mailbox* m = mailbox_by_email(asked.email, o)) {
    r.error_code = "NoError";
    r.settings = requested_settings(asked.settings, ews_url, m->display_name);
  } else {
    r.error_code = "InvalidUser";
    r.error_message = "Invalid user: '" + asked.email + "'"; // Exchange's wording
  }
  return r;
}

ews_http_response soap_answer(const ews_http_request& request, const ews_responder_options& o) {
  if (request.method != "POST") return method_not_allowed();
  const auto asked = autodiscover::parse_soap_request(request.body);
  if (!asked) {
    autodiscover::soap_response invalid; // the whole request is wrong: Response/ErrorCode
    invalid.response_error_code = "InvalidRequest";
    invalid.response_error_message = "The request is invalid.";
    return xml_answer(200, build_soap_response(invalid));
  }
  return xml_answer(200, build_soap_response(soap_for(*asked.value, ews_url_for(request, o), o)));
}

// ---- EWS ----------------------------------------------------------------------------

// GetUserOofSettings: a user reads their own OOF; another mailbox is
// ErrorAccessDenied (no delegate rights here), an unknown one
// ErrorNonExistentMailbox, both as ResponseClass Error with HTTP 200.
ews::response oof_result(std::string_view mailbox, const ews_mailbox& who, const ews_responder_options& o) {
  ews::response r;
  if (iequals_ascii(mailbox, who.email)) {
    r.response_class = "Success";
    r.response_code = "NoError";
  } else if (mailbox_by_email(mailbox, o)) {
    r.response_class = "Error";
    r.response_code = "ErrorAccessDenied";
    r.message_text = "Access is denied. Check credentials and try again.";
  } else {
    r.response_class = "Error";
    r.response_code = "ErrorNonExistentMailbox";
    r.message_text = "The SMTP address has no mailbox associated with it.";
  }
  return r;
}

ews_http_response ews_service_answer(const ews_http_request& request, const ews_mailbox& who,
                                     const ews_responder_options& o) {
  if (request.method != "POST") return method_not_allowed();
  const auto asked = ews::parse_request(request.body);
  // A body EWS cannot read is a SOAP Fault with HTTP 500, as EWS answers it.
  if (!asked)
    return xml_answer(500, ews::build_soap_fault("a:ErrorSchemaValidation", "The request failed schema validation."));
  ews::response r;
  if (asked.value->op == ews::operation::get_user_oof_settings) {
    r = oof_result(asked.value->mailbox, who, o);
  } else {
    r.response_class = "Success";
    r.response_code = "NoError";
  }
  r.version = o.version;
  return xml_answer(200, ews::build_response(asked.value->op, r));
}

// ---- the serve loop ---------------------------------------------------------------

// A plain TCP socket with the read/write/shutdown calls tls_session has, so
// one serve loop works for both listeners.
struct plain_stream {
  net::ip::tcp::socket& socket;

  net::awaitable<io_outcome> read_some(char* data, std::size_t size, clock::time_point deadline) {
    io_outcome out;
    const auto got =
        co_await until(deadline, socket.async_read_some(net::buffer(data, size), net::as_tuple(net::use_awaitable)));
    if (!got) {
      out.timed_out = true;
      co_return out;
    }
    const auto& [ec, n] = *got;
    out.bytes = n;
    if (ec == net::error::eof || ec == net::error::connection_reset) out.closed = true;
    else if (ec) out.error = ec.message();
    co_return out;
  }

  net::awaitable<io_outcome> write_all(std::string_view data, clock::time_point deadline) {
    io_outcome out;
    const auto sent =
        co_await until(deadline, net::async_write(socket, net::buffer(data), net::as_tuple(net::use_awaitable)));
    if (!sent) {
      out.timed_out = true;
      co_return out;
    }
    const auto& [ec, n] = *sent;
    out.bytes = n;
    if (ec) out.error = ec.message();
    co_return out;
  }

  net::awaitable<void> shutdown(clock::time_point) {
    boost::system::error_code ignored;
    socket.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    co_return;
  }
};

using request_parser = beast_http::request_parser<beast_http::string_body>;
using answer_function = ews_http_response (*)(const ews_http_request&, ews_connection_state&,
                                              const ews_responder_options&);

enum class request_end { complete, closed, timed_out, failed, malformed, header_too_large, body_too_large };

// Gives the parser what it can take of `pending` (bytes read and not parsed
// yet, which may include the start of a pipelined next request).
boost::system::error_code feed(request_parser& parser, std::string& pending) {
  boost::system::error_code ec;
  while (!pending.empty() && !parser.is_done()) {
    const auto used = parser.put(net::buffer(pending), ec);
    pending.erase(0, used);
    if (ec == beast_http::error::need_more) return {};
    if (ec) return ec;
    if (used == 0) break;
  }
  return {};
}

request_end classify(const boost::system::error_code& ec) {
  if (ec == beast_http::error::header_limit) return request_end::header_too_large;
  if (ec == beast_http::error::body_limit) return request_end::body_too_large;
  return request_end::malformed;
}

bool expects_continue(const request_parser& parser) {
  const auto& m = parser.get();
  return m.version() >= 11 && iequals_ascii(m[beast_http::field::expect], "100-continue");
}

// Reads until the parser holds one whole request. Every read waits at most
// `idle`; a client that sent "Expect: 100-continue" gets its interim answer.
template <class Stream>
net::awaitable<request_end> read_request(Stream& stream, request_parser& parser, std::string& pending,
                                         std::chrono::milliseconds idle) {
  bool continue_sent = false;
  std::array<char, 16 * 1024> chunk;
  for (;;) {
    if (const auto ec = feed(parser, pending)) co_return classify(ec);
    if (parser.is_done()) co_return request_end::complete;
    if (!parser.is_header_done() && pending.size() > max_header_bytes) co_return request_end::header_too_large;
    if (parser.is_header_done() && !continue_sent && expects_continue(parser)) {
      continue_sent = true;
      const auto sent = co_await stream.write_all("HTTP/1.1 100 Continue\r\n\r\n", clock::now() + idle);
      if (sent.timed_out || sent.closed || !sent.error.empty()) co_return request_end::failed;
    }
    const auto got = co_await stream.read_some(chunk.data(), chunk.size(), clock::now() + idle);
    if (got.bytes > 0) {
      pending.append(chunk.data(), got.bytes);
      continue;
    }
    // A request cannot be delimited by the end of the connection (RFC 9112
    // 6.3): a close mid-request leaves nothing to answer.
    if (got.timed_out) co_return request_end::timed_out;
    co_return got.closed ? request_end::closed : request_end::failed;
  }
}

ews_http_request to_request(const beast_http::request<beast_http::string_body>& m) {
  ews_http_request r;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  for (const auto& field : m) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = m.body();
  return r;
}

std::string serialise(const ews_http_response& r, unsigned version, bool close) {
  beast_http::response<beast_http::string_body> m{static_cast<beast_http::status>(r.status), version};
  m.set(beast_http::field::server, "edgeprobe-ews-responder");
  for (const auto& [name, value] : r.headers) m.insert(name, value); // insert: WWW-Authenticate repeats
  m.body() = r.body;
  m.keep_alive(!close);
  m.prepare_payload();
  std::ostringstream out;
  out << m;
  return out.str();
}

// What a request the parser refused gets before the connection is closed.
ews_http_response refusal_for(request_end end) {
  ews_http_response r;
  switch (end) {
  case request_end::header_too_large: r = text_answer(431, "431 - Request header fields too large.\r\n"); break;
  case request_end::body_too_large: r = text_answer(413, "413 - Request entity too large.\r\n"); break;
  default: r = text_answer(400, "400 - Bad Request.\r\n"); break;
  }
  r.close = true;
  return r;
}

ews_http_response answer_safely(answer_function answer, const ews_http_request& request, ews_connection_state& state,
                                const ews_responder_options& o) {
  try {
    return answer(request, state, o);
  } catch (const std::exception&) { // the listener's coroutines are detached: nothing may escape
    auto r = text_answer(500, "500 - Internal server error.\r\n");
    r.close = true;
    return r;
  }
}

// One connection: a fresh Beast parser per request (a parser holds one
// message), keep-alive until the client closes, asks to close, stays idle, or
// sends something that is not HTTP.
template <class Stream>
net::awaitable<void> serve_http(Stream& stream, const ews_responder_options& o, answer_function answer) {
  ews_connection_state state;
  std::string pending;
  for (;;) {
    request_parser parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(max_body_bytes);
    parser.eager(true);
    const request_end end = co_await read_request(stream, parser, pending, o.idle_timeout);
    if (end == request_end::closed || end == request_end::timed_out || end == request_end::failed) break;
    ews_http_response response;
    unsigned version = 11;
    bool close = true;
    if (end == request_end::complete) {
      const auto& message = parser.get();
      response = answer_safely(answer, to_request(message), state, o);
      version = message.version() == 10 ? 10 : 11;
      close = response.close || !message.keep_alive();
    } else {
      response = refusal_for(end);
    }
    const auto sent = co_await stream.write_all(serialise(response, version, close), clock::now() + o.idle_timeout);
    if (close || sent.timed_out || sent.closed || !sent.error.empty()) break;
  }
  co_await stream.shutdown(clock::now() + std::chrono::milliseconds(200));
}

net::awaitable<void> serve_https(std::shared_ptr<const ews_responder_options> o, tls_session& session) {
  co_await serve_http(session, *o, &ews_answer);
}

net::awaitable<void> serve_plain_http(std::shared_ptr<const ews_responder_options> o, net::ip::tcp::socket& socket) {
  plain_stream stream{socket};
  co_await serve_http(stream, *o, &ews_plain_http_answer);
}

} // namespace

// ---- public ------------------------------------------------------------------------

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
