#include "probes/tls/session_facts.hpp"

#include "net/tls_context.hpp"

namespace edgeprobe {

client_ca_list read_client_ca_list(const SSL* ssl) {
  client_ca_list out;
  const STACK_OF(X509_NAME)* names = SSL_get0_peer_CA_list(ssl);
  for (int i = 0; names && i < sk_X509_NAME_num(names); ++i) {
    const X509_NAME* name = sk_X509_NAME_value(names, i);
    out.names.push_back(name_text(name));
    const int der = i2d_X509_NAME(name, nullptr);
    out.bytes += 2 + static_cast<std::size_t>(der > 0 ? der : 0);
  }
  return out;
}

std::vector<ossl::x509> sent_chain(const SSL* ssl) {
  std::vector<ossl::x509> out;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain && i < sk_X509_num(chain); ++i) out.push_back(ossl::share(sk_X509_value(chain, i)));
  return out;
}

namespace {

nlohmann::json verification_json(const chain_verdict& v) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : v.problems)
    problems.push_back({{"depth", p.depth}, {"code", p.code}, {"text", p.text}, {"subject", p.subject}});
  return {{"code", v.code}, {"text", v.text}, {"problems", problems}, {"built_chain", v.built}};
}

nlohmann::json negotiation_json(const SSL* ssl) {
  nlohmann::json j;
  j["version"] = tls_version_text(SSL_version(ssl));
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) {
    j["cipher"] = SSL_CIPHER_get_name(c);
    if (const char* iana = SSL_CIPHER_standard_name(c)) j["cipher_iana"] = iana;
  }
  const unsigned char* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  j["alpn"] = alpn_len ? nlohmann::json(std::string(reinterpret_cast<const char*>(alpn), alpn_len)) : nlohmann::json();
  const unsigned char* ocsp = nullptr;
  const long ocsp_len = SSL_get_tlsext_status_ocsp_resp(const_cast<SSL*>(ssl), &ocsp);
  j["ocsp_stapled"] = ocsp_len > 0;
  EVP_PKEY* key = nullptr;
  if (SSL_get_peer_tmp_key(const_cast<SSL*>(ssl), &key) == 1) {
    char group[80] = {};
    std::size_t len = 0;
    const int id = EVP_PKEY_get_base_id(key);
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1) j["key_exchange"] = std::string(group);
    else if (id == EVP_PKEY_X25519 || id == EVP_PKEY_X448) j["key_exchange"] = OBJ_nid2sn(id);
    else j["key_exchange"] = std::string(OBJ_nid2sn(id)) + " " + std::to_string(EVP_PKEY_get_bits(key)) + " bits";
    EVP_PKEY_free(key);
  }
  return j;
}

} // namespace

nlohmann::json read_session(const tls_session& session, X509_STORE* trust, tls_facts& facts) {
  const SSL* ssl = session.native();
  nlohmann::json j = negotiation_json(ssl);
  facts.version = SSL_version(ssl);

  const auto chain = sent_chain(ssl);
  facts.chain.clear();
  for (const auto& c : chain) facts.chain.push_back(read_cert_facts(c.get()));
  nlohmann::json sent = nlohmann::json::array();
  for (const auto& c : facts.chain) sent.push_back(to_json(c, facts.now));
  j["chain"] = sent;
  if (!chain.empty()) {
    facts.verification = verify_chain(chain, trust, facts.now);
    j["verification"] = verification_json(facts.verification);
    j["leaf_days_left"] = days_left(facts.chain.front(), facts.now);
    const cert_facts* earliest = &facts.chain.front();
    for (const auto& c : facts.chain)
      if (c.not_after < earliest->not_after) earliest = &c;
    j["chain_earliest_expiry"] = {{"subject", earliest->subject},
                                  {"not_after", utc_text(earliest->not_after)},
                                  {"days_left", days_left(*earliest, facts.now)}};
  }

  facts.client_cert_requested = session.client_cert_requested();
  nlohmann::json client = {{"requested", facts.client_cert_requested}};
  if (facts.client_cert_requested) {
    const auto cas = read_client_ca_list(ssl);
    facts.client_ca_list_bytes = cas.bytes;
    client["ca_names"] = cas.names;
    client["ca_list_bytes"] = cas.bytes;
    client["offered"] = SSL_get_certificate(ssl) != nullptr;
  }
  j["client_certificate"] = client;
  return j;
}

} // namespace edgeprobe
