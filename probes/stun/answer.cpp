#include "probes/stun/answer.hpp"

#include "net/endpoint_text.hpp"
#include "net/icmp_errors.hpp"
#include "net/udp_evidence.hpp"

namespace edgeprobe {

namespace {

// RFC 5389/5766/8656 reason phrases, for codes a server sends without text.
std::string standard_reason(int code) {
  switch (code) {
    case 300: return "Try Alternate";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 420: return "Unknown Attribute";
    case 437: return "Allocation Mismatch";
    case 438: return "Stale Nonce";
    case 440: return "Address Family not Supported";
    case 441: return "Wrong Credentials";
    case 442: return "Unsupported Transport Protocol";
    case 443: return "Peer Address Family Mismatch";
    case 486: return "Allocation Quota Reached";
    case 500: return "Server Error";
    case 508: return "Insufficient Capacity";
  }
  return "";
}

std::optional<net::ip::udp::endpoint> xor_address(const stun::message& m, std::uint16_t type) {
  if (const auto* a = m.find(type)) return stun::read_xor_address(*a, m.cookie, m.id);
  return std::nullopt;
}

bool starts_with_ms_cookie(const stun::message& m) {
  return !m.attributes.empty() && m.attributes.front().type == stun::attr::ms_magic_cookie;
}

// coturn counts NUL padding into some texts ("Stale nonce\0"): not for showing.
std::string shown_text(const stun::attribute& a) {
  auto text = stun::read_text(a);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

nlohmann::json endpoint_json(const std::optional<net::ip::udp::endpoint>& e) {
  return e ? nlohmann::json(endpoint_text(*e)) : nlohmann::json();
}

} // namespace

std::string stun_answer::summary() const {
  std::string text = stun::method_name(message.method) + " " + stun::class_name(message.klass);
  if (error) {
    text += " " + std::to_string(error->code);
    const auto said = error->reason.empty() ? standard_reason(error->code) : error->reason;
    if (!said.empty()) text += " \"" + said + "\"";
  }
  return text;
}

nlohmann::json stun_answer::to_json() const {
  const auto d = dialect;
  nlohmann::json j = {{"answer", summary()},
                      {"dialect", d == stun::dialect::ms_turn ? "ms-turn" : "rfc"},
                      {"class", stun::class_name(message.klass)},
                      {"method", stun::method_name(message.method)}};
  if (error) j["error"] = {{"code", error->code}, {"reason", error->reason}};
  if (!realm.empty()) j["realm"] = realm;
  if (!nonce.empty()) j["nonce_present"] = true;
  if (!software.empty()) j["software"] = software;
  if (mapped) j["mapped_address"] = endpoint_json(mapped);
  if (relayed) j["relayed_address"] = endpoint_json(relayed);
  if (response_origin) j["response_origin"] = endpoint_json(response_origin);
  if (lifetime) j["lifetime_s"] = *lifetime;
  if (ms_version) j["ms_version"] = *ms_version;
  j["fingerprint"] = fingerprint_ok ? nlohmann::json(*fingerprint_ok ? "valid" : "invalid") : nlohmann::json("absent");
  j["message_integrity"] = !message.find(stun::attr::message_integrity) ? nlohmann::json("absent")
                           : integrity_ok ? nlohmann::json(*integrity_ok ? "valid" : "invalid")
                                          : nlohmann::json("not checked");
  nlohmann::json names = nlohmann::json::array();
  for (const auto& a : message.attributes) names.push_back(stun::attribute_name(a.type, d));
  j["attributes"] = names;
  return j;
}

std::optional<stun_answer> read_answer(std::span<const std::uint8_t> bytes,
                                       std::optional<std::span<const std::uint8_t>> integrity_key, std::string& why) {
  // The answer's own dialect, whatever was asked: an MS-TURN answer starts with
  // MAGIC-COOKIE (coturn answers an MS-TURN request in RFC form). Decoding an
  // RFC answer as MS-TURN could succeed with REALM and NONCE swapped.
  auto decoded = stun::decode(bytes, stun::dialect::rfc);
  stun_answer a;
  a.dialect = stun::dialect::rfc;
  if (!decoded.value || starts_with_ms_cookie(*decoded.value)) {
    auto ms = stun::decode(bytes, stun::dialect::ms_turn);
    if (ms.value && starts_with_ms_cookie(*ms.value)) {
      decoded = std::move(ms);
      a.dialect = stun::dialect::ms_turn;
    }
  }
  if (!decoded.value) {
    why = decoded.error.what + " (at byte " + std::to_string(decoded.error.offset) + ")";
    return std::nullopt;
  }
  a.message = std::move(*decoded.value);
  const auto& m = a.message;
  const auto d = a.dialect;
  if (const auto* e = m.find(stun::attr::error_code)) a.error = stun::read_error_code(*e);
  if (a.error)
    while (!a.error->reason.empty() && a.error->reason.back() == '\0') a.error->reason.pop_back();
  if (m.klass == stun::message_class::error && !a.error) {
    why = "an error response without a readable ERROR-CODE";
    return std::nullopt;
  }
  if (const auto* r = m.find(stun::realm_type(d))) a.realm = shown_text(*r);
  if (const auto* n = m.find(stun::nonce_type(d))) a.nonce = stun::read_text(*n); // sent back exactly as received
  if (const auto* s = m.find(stun::attr::software)) a.software = shown_text(*s);
  a.mapped = xor_address(m, stun::attr::xor_mapped_address);
  a.mapped_from_xor = a.mapped.has_value();
  if (!a.mapped)
    if (const auto* ma = m.find(stun::attr::mapped_address)) a.mapped = stun::read_address(*ma);
  a.relayed = xor_address(m, stun::attr::xor_relayed_address);
  if (const auto* o = m.find(stun::attr::response_origin)) a.response_origin = stun::read_address(*o);
  if (const auto* l = m.find(stun::attr::lifetime)) a.lifetime = stun::read_u32(*l);
  if (const auto* v = m.find(stun::attr::ms_version)) a.ms_version = stun::read_u32(*v);
  a.fingerprint_ok = stun::verify_fingerprint(bytes, m);
  if (integrity_key) a.integrity_ok = stun::verify_integrity(bytes, m, *integrity_key);
  return a;
}

bool judge_reply_arrival(const stun_reply& r, const std::string& what, const std::string& target, verdict& v) {
  using ended = stun_reply::ended;
  switch (r.how) {
    case ended::answered: return true;
    case ended::silence: {
      if (r.udp && r.udp->ignored > 0) {
        // Something did answer, only never to this request: saying "a firewall
        // drops UDP" would send the reader to the wrong device.
        v.raise(status::fail, reason::turn_no_response,
                "no answer from UDP " + target + " to " + what + " (" + datagrams_text(r.udp->transmissions.size()) +
                    " in " + ms_text(clock::now() - first_sent(*r.udp)) + "), but " + std::to_string(r.udp->ignored) +
                    " STUN datagram(s) came back for another transaction (magic cookie or transaction ID not the "
                    "request's) and were ignored: the service answers, but not to what was asked");
      } else if (r.udp) {
        v.raise(status::fail, reason::turn_no_response,
                "no answer from UDP " + target + " to " + what + " (" + datagrams_text(r.udp->transmissions.size()) +
                    " in " + ms_text(clock::now() - first_sent(*r.udp)) +
                    "): a firewall drops UDP to this port, or the relay service does not listen on it");
      } else {
        v.raise(status::fail, reason::turn_no_response,
                target + " accepted the connection but did not answer " + what +
                    " before the deadline: the service on this port is not a STUN/TURN server");
      }
      return false;
    }
    case ended::icmp_error: {
      const auto& icmp = *r.udp->icmp;
      if (icmp.kind == icmp_kind::port_unreachable && !icmp.local)
        v.raise(status::fail, reason::turn_port_unreachable,
                r.detail + ": nothing listens on UDP " + target + " (the host is up; the relay service is not)");
      else
        v.raise(status::fail, icmp_reason(icmp), r.detail + " for UDP " + target);
      return false;
    }
    case ended::closed:
      v.raise(status::fail, reason::turn_no_response,
              target + " ended the connection instead of answering " + what + " (" + r.detail + ")");
      return false;
    case ended::local_error:
      if (r.udp) judge_local_error(*r.udp, target, 0, v);
      else v.raise(status::error, reason::internal_error, "sending " + what + " failed on this host: " + r.detail);
      return false;
  }
  return false;
}

void judge_reply_origin(const stun_reply& r, const std::string& target, verdict& v) {
  if (!r.from_other_address) return;
  v.raise(status::warn, reason::turn_reply_from_other_address,
          "the answer came from " + endpoint_text(r.from) + ", not from " + target +
              " where the request went: stateful firewalls and NAT drop such answers for ordinary clients");
}

} // namespace edgeprobe
