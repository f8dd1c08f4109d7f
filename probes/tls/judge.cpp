#include "probes/tls/judge.hpp"

#include "core/option_check.hpp"
#include "net/name_match.hpp"
#include "wire/ascii.hpp"

#include <boost/asio/ip/address.hpp>
#include <openssl/x509_vfy.h>

#include <algorithm>

namespace edgeprobe {

namespace net = boost::asio;

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "nothing" : out;
}

// "the leaf certificate CN=…" / "the intermediate CN=…" / "the root CN=…"
std::string which(const tls_facts& f, int depth, const std::string& subject) {
  if (depth == 0) return "the certificate " + in_quotes(subject);
  const bool root = static_cast<std::size_t>(depth) + 1 == f.verification.built.size();
  return std::string(root ? "the root " : "the intermediate ") + in_quotes(subject);
}

const cert_facts* find_by_subject(const tls_facts& f, const std::string& subject) {
  for (const auto& c : f.chain)
    if (c.subject == subject) return &c;
  return nullptr;
}

void judge_dates(const tls_facts& f, std::vector<tls_finding>& out) {
  for (const auto& p : f.verification.problems) {
    const auto* cert = find_by_subject(f, p.subject);
    if (p.code == X509_V_ERR_CERT_HAS_EXPIRED) {
      const std::string when = cert ? " on " + utc_text(cert->not_after) + " (" + relative_days(days_left(*cert, f.now)) + ")" : "";
      out.push_back({status::fail, reason::tls_cert_expired, which(f, p.depth, p.subject) + " served by " + f.served_by + " expired" + when});
    } else if (p.code == X509_V_ERR_CERT_NOT_YET_VALID) {
      const std::string when = cert ? " until " + utc_text(cert->not_before) : "";
      out.push_back({status::fail, reason::tls_cert_not_yet_valid,
                     which(f, p.depth, p.subject) + " served by " + f.served_by + " is not valid" + when +
                         " (this host's clock says " + utc_text(f.now) + ")"});
    }
  }
}

void judge_name(const tls_facts& f, std::vector<tls_finding>& out) {
  if (f.checked_name.empty() || f.chain.empty()) return;
  const auto& leaf = f.chain.front();
  if (name_covered(f.checked_name, leaf.dns_names, leaf.ip_addresses)) return;
  if (!leaf.has_san_extension && dns_name_matches(leaf.subject_cn, f.checked_name)) {
    out.push_back({status::fail, reason::tls_cert_san_missing,
                   "the certificate served by " + f.served_by + " names " + in_quotes(f.checked_name) +
                       " only in its common name and has no subjectAltName: browsers and current clients "
                       "ignore the common name"});
    return;
  }
  boost::system::error_code not_an_address;
  net::ip::make_address(f.checked_name, not_an_address);
  const bool by_address = !not_an_address;
  out.push_back({status::fail, reason::tls_cert_name_mismatch,
                 "the certificate served by " + f.served_by + " covers " + joined(leaf.san_list()) +
                     (leaf.subject_cn.empty() ? "" : " (CN " + leaf.subject_cn + ")") + ", not " +
                     in_quotes(f.checked_name) +
                     (by_address ? ": clients that connect by address fail; connect by name (set `sni` to the "
                                   "published name)"
                                 : ": this listener has another certificate, or DNS points " + f.checked_name +
                                       " at the wrong listener")});
}

bool issuer_missing(int code) {
  return code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

bool is_date_problem(int code) {
  return code == X509_V_ERR_CERT_HAS_EXPIRED || code == X509_V_ERR_CERT_NOT_YET_VALID;
}

// Why the chain does not verify. A missing issuer is a chain the server sent
// incomplete when it sent no CA certificate at all (only its own): the
// intermediate it should send is what is missing. When it did send CA
// certificates, the chain is complete up to a root this client does not trust.
void judge_trust(const tls_facts& f, std::vector<tls_finding>& out) {
  for (const auto& p : f.verification.problems) {
    if (is_date_problem(p.code)) continue;
    if (issuer_missing(p.code)) {
      const auto* top = find_by_subject(f, p.subject);
      const bool sent_ca = std::any_of(f.chain.begin() + 1, f.chain.end(), [](const cert_facts& c) { return c.is_ca; });
      const std::string issuer = top ? top->issuer : "its issuer";
      if (!sent_ca && f.chain.size() >= 1) {
        std::string msg = f.served_by + " sent " + (f.chain.size() == 1 ? "only its own certificate" : "no CA certificate") +
                          ", and this client has no certificate for its issuer " + in_quotes(issuer) +
                          ": the server must send that intermediate (or, if " + in_quotes(issuer) +
                          " is itself a private root, add it to ca_file)";
        if (top && !top->ca_issuers.empty())
          msg += "; the certificate says the issuer can be downloaded from " + top->ca_issuers.front() +
                 " — browsers do that, most other clients do not";
        out.push_back({status::fail, reason::tls_cert_chain_incomplete, msg});
      } else {
        out.push_back({status::fail, reason::tls_cert_untrusted,
                       "the chain from " + f.served_by + " ends at " + in_quotes(issuer) +
                           ", a CA this client does not trust" });
      }
      return;
    }
    if (p.code == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
      out.push_back({status::fail, reason::tls_cert_untrusted,
                     "the certificate served by " + f.served_by + " is self-signed (" + in_quotes(p.subject) + ")"});
      return;
    }
    if (p.code == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
      out.push_back({status::fail, reason::tls_cert_untrusted,
                     "the chain from " + f.served_by + " ends at the root " + in_quotes(p.subject) +
                         ", which this client does not trust"});
      return;
    }
    out.push_back({status::fail, reason::tls_cert_untrusted,
                   which(f, p.depth, p.subject) + " from " + f.served_by + " fails verification: " + p.text +
                       " (OpenSSL code " + std::to_string(p.code) + ")"});
    return;
  }
}

void judge_expectations(const tls_facts& f, const tls_config& cfg, std::vector<tls_finding>& out) {
  if (f.chain.empty()) return;
  const auto& leaf = f.chain.front();
  std::vector<std::string> missing;
  for (const auto& name : cfg.san_includes)
    if (!san_includes(name, leaf.dns_names, leaf.ip_addresses)) missing.push_back(name);
  if (!missing.empty())
    out.push_back({status::fail, reason::tls_cert_san_missing,
                   "the certificate served by " + f.served_by + " does not cover " + joined(missing) +
                       "; it covers " + joined(leaf.san_list())});
  if (cfg.subject_cn && !iequals_ascii(*cfg.subject_cn, leaf.subject_cn))
    out.push_back({status::fail, reason::tls_cert_name_mismatch,
                   "the certificate served by " + f.served_by + " has the common name " + in_quotes(leaf.subject_cn) +
                       ", not " + in_quotes(*cfg.subject_cn)});
  if (cfg.issuer_contains && !icontains_ascii(leaf.issuer, *cfg.issuer_contains))
    out.push_back({status::fail, reason::tls_cert_issuer_mismatch,
                   "the certificate served by " + f.served_by + " was issued by " + in_quotes(leaf.issuer) +
                       ", which does not contain " + in_quotes(*cfg.issuer_contains)});
}

void judge_negotiation(const tls_facts& f, const tls_config& cfg, std::vector<tls_finding>& out) {
  if (f.version && f.version < cfg.min_version)
    out.push_back({status::fail, reason::tls_version_too_low,
                   f.served_by + " negotiated " + tls_version_text(f.version) + "; the check requires at least " +
                       tls_version_text(cfg.min_version)});
  if (cfg.client_cert_requested == false && f.client_cert_requested)
    out.push_back({status::fail, reason::tls_client_cert_required,
                   f.served_by + " asks for a client certificate although the check expects it not to"});
  if (cfg.client_cert_requested == true && !f.client_cert_requested)
    out.push_back({status::fail, reason::tls_client_cert_not_requested,
                   f.served_by + " did not ask for a client certificate in the handshake"});
  if (!f.client_cert_requested) return;
  const std::string size = std::to_string(f.client_ca_list_bytes) + " bytes";
  if (cfg.max_client_ca_list_bytes && f.client_ca_list_bytes > *cfg.max_client_ca_list_bytes)
    out.push_back({status::fail, reason::tls_client_ca_list_large,
                   f.served_by + "'s list of acceptable client CAs is " + size + ", more than the " +
                       std::to_string(*cfg.max_client_ca_list_bytes) + " the check allows"});
  else if (!cfg.max_client_ca_list_bytes && f.client_ca_list_bytes > schannel_ca_list_limit)
    out.push_back({status::warn, reason::tls_client_ca_list_large,
                   f.served_by + "'s list of acceptable client CAs is " + size + ", over the " +
                       std::to_string(schannel_ca_list_limit) +
                       " bytes at which Windows (Schannel) clients stop sending their certificate"});
}

void judge_expiry(const tls_facts& f, const tls_config& cfg, std::vector<tls_finding>& out) {
  const cert_facts* soonest = nullptr;
  for (const auto& c : f.chain)
    if (days_left(c, f.now) >= 0 && (!soonest || c.not_after < soonest->not_after)) soonest = &c;
  if (!soonest) return;
  const auto days = days_left(*soonest, f.now);
  const std::string what = (soonest == &f.chain.front() ? "the certificate " : "the chain's certificate ") +
                           in_quotes(soonest->subject) + " served by " + f.served_by + " expires " +
                           relative_days(days) + " (" + utc_text(soonest->not_after) + ")";
  if (cfg.min_days_left && days < *cfg.min_days_left)
    out.push_back({status::fail, reason::tls_cert_expires_soon,
                   what + ", fewer than min_days_left " + std::to_string(*cfg.min_days_left)});
  else if (days < cfg.warn_days_left)
    out.push_back({status::warn, reason::tls_cert_expires_soon,
                   what + ", fewer than warn_days_left " + std::to_string(cfg.warn_days_left)});
}

} // namespace

std::vector<tls_finding> judge_tls(const tls_facts& facts, const tls_config& cfg) {
  std::vector<tls_finding> out;
  judge_dates(facts, out);
  if (cfg.verify) {
    judge_name(facts, out);
    if (cfg.verified) judge_trust(facts, out);
  }
  judge_expectations(facts, cfg, out);
  judge_negotiation(facts, cfg, out);
  judge_expiry(facts, cfg, out);
  return out;
}

} // namespace edgeprobe
