#include "probes/ews/responder_auth.hpp"

#include "probes/ews/responder_answers.hpp"
#include "wire/ascii.hpp"
#include "wire/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

namespace edgeprobe::ews_responder {

namespace {

// Now as a Windows FILETIME (100 ns ticks since 1601-01-01), for MsvAvTimestamp.
std::uint64_t filetime_now() {
  constexpr std::uint64_t unix_epoch_as_filetime = 116444736000000000ULL;
  const auto since_1970 = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return unix_epoch_as_filetime + static_cast<std::uint64_t>(since_1970.count() / 100);
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

} // namespace

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

} // namespace edgeprobe::ews_responder
