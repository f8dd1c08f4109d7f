#include "net/cert_maker.hpp"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

namespace edgeprobe {

namespace {

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string pem_of(BIO* out) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(out, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

} // namespace

ossl::pkey make_key(key_kind kind) {
  if (kind == key_kind::rsa_2048) return ossl::pkey(EVP_RSA_gen(2048));
  return ossl::pkey(EVP_EC_gen("P-256"));
}

ossl::x509 make_certificate(const cert_request& r, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                            std::string& error) {
  ossl::x509 cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), r.serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(r.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(r.not_after));
  X509_NAME* name = X509_get_subject_name(cert.get());
  // Fails for values over X.520's upper bounds (CN: 64 characters).
  auto add_name_entry = [&](const char* field, const std::string& value) {
    return value.empty() ||
           X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()),
                                      -1, -1, 0) == 1;
  };
  bool ok = add_name_entry("O", r.organization) && add_name_entry("OU", r.organizational_unit) &&
            add_name_entry("CN", r.common_name);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);

  ok = ok && add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash") &&
            add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
  if (r.ca) {
    ok = ok && add_extension(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE") &&
         add_extension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && add_extension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    if (r.server_auth) ok = ok && add_extension(cert.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  std::string sans;
  for (const auto& d : r.dns_names) sans += (sans.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : r.ip_addresses) sans += (sans.empty() ? "IP:" : ",IP:") + ip;
  if (r.san && !sans.empty()) ok = ok && add_extension(cert.get(), issuer, NID_subject_alt_name, sans);
  if (!r.ca_issuers_url.empty())
    ok = ok && add_extension(cert.get(), issuer, NID_info_access, "caIssuers;URI:" + r.ca_issuers_url);
  if (!ok || X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0) {
    error = "cannot make the certificate for \"" + r.common_name + "\": " + ossl::take_errors();
    return {};
  }
  return cert;
}

std::string to_pem(X509* cert) {
  ossl::bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  return pem_of(out.get());
}

std::string to_pem(EVP_PKEY* key) {
  ossl::bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return pem_of(out.get());
}

} // namespace edgeprobe
