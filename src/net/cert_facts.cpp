#include "net/cert_facts.hpp"

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address_v6.hpp>

#include <array>
#include <cstdio>

namespace edgeprobe {

namespace {

std::string asn1_text(const ASN1_STRING* s) {
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  const auto* d = ASN1_STRING_get0_data(ip);
  const int n = ASN1_STRING_length(ip);
  char buf[64];
  if (n == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
    return buf;
  }
  if (n == 16) {
    std::array<unsigned char, 16> bytes{};
    std::copy(d, d + 16, bytes.begin());
    return boost::asio::ip::address_v6(bytes).to_string();
  }
  return "<" + std::to_string(n) + "-byte address>";
}

std::int64_t seconds(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string hex_colons(const unsigned char* d, unsigned n) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    if (i) out += ':';
    out += digits[d[i] >> 4];
    out += digits[d[i] & 15];
  }
  return out;
}

void read_sans(X509* cert, cert_facts& f) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  f.has_san_extension = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1) >= 0;
  if (!names) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    switch (g->type) {
      case GEN_DNS: f.dns_names.push_back(asn1_text(g->d.dNSName)); break;
      case GEN_IPADD: f.ip_addresses.push_back(ip_text(g->d.iPAddress)); break;
      case GEN_EMAIL: f.other_names.push_back("email:" + asn1_text(g->d.rfc822Name)); break;
      case GEN_URI: f.other_names.push_back("URI:" + asn1_text(g->d.uniformResourceIdentifier)); break;
      case GEN_DIRNAME: f.other_names.push_back("DirName:" + name_text(g->d.directoryName)); break;
      default: f.other_names.push_back("othername"); break;
    }
  }
  GENERAL_NAMES_free(names);
}

void read_aia(X509* cert, cert_facts& f) {
  auto* aia = static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr));
  if (!aia) return;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia, i);
    if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers && ad->location->type == GEN_URI)
      f.ca_issuers.push_back(asn1_text(ad->location->d.uniformResourceIdentifier));
  }
  AUTHORITY_INFO_ACCESS_free(aia);
}

void read_key(X509* cert, cert_facts& f) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) {
    f.key_type = "unknown";
    return;
  }
  const int id = EVP_PKEY_get_base_id(key);
  const char* sn = OBJ_nid2sn(id);
  f.key_type = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : sn ? sn : "unknown";
  f.key_bits = EVP_PKEY_get_bits(key);
  if (id == EVP_PKEY_EC) {
    char group[80] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1) f.key_curve = group;
  }
}

} // namespace

std::string name_text(const X509_NAME* name) {
  if (!name) return {};
  ossl::bio out(BIO_new(BIO_s_mem()));
  const unsigned long flags = (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SEP_MASK) | XN_FLAG_SEP_CPLUS_SPC;
  X509_NAME_print_ex(out.get(), name, 0, flags);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

std::vector<std::string> cert_facts::san_list() const {
  std::vector<std::string> out;
  for (const auto& d : dns_names) out.push_back("DNS:" + d);
  for (const auto& ip : ip_addresses) out.push_back("IP Address:" + ip);
  for (const auto& o : other_names) out.push_back(o);
  return out;
}

cert_facts read_cert_facts(X509* cert) {
  cert_facts f;
  f.subject = name_text(X509_get_subject_name(cert));
  f.issuer = name_text(X509_get_issuer_name(cert));
  const X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;)
    f.subject_cn = asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));

  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    if (char* hex = BN_bn2hex(bn)) {
      f.serial = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  f.not_before = seconds(X509_get0_notBefore(cert));
  f.not_after = seconds(X509_get0_notAfter(cert));
  read_sans(cert, f);
  read_aia(cert, f);

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) == 1) f.sha256 = hex_colons(md, len);
  read_key(cert, f);
  const char* sig = OBJ_nid2ln(X509_get_signature_nid(cert));
  f.signature_algorithm = sig ? sig : "unknown";
  f.is_ca = X509_check_ca(cert) > 0 && (X509_get_extension_flags(cert) & EXFLAG_CA);
  f.self_issued = X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0;
  return f;
}

std::int64_t days_left(const cert_facts& c, std::time_t now) {
  const std::int64_t left = c.not_after - static_cast<std::int64_t>(now);
  // Once expired: -1 in the first day after not_after, -6 from 5 whole days after.
  return left >= 0 ? left / 86400 : -(-left / 86400) - 1;
}

std::string relative_days(std::int64_t days) {
  if (days >= 0) return days == 0 ? "in less than a day" : "in " + std::to_string(days) + (days == 1 ? " day" : " days");
  const auto ago = -days - 1;
  return ago == 0 ? "less than a day ago" : std::to_string(ago) + (ago == 1 ? " day ago" : " days ago");
}

std::string utc_text(std::int64_t s) {
  const std::time_t t = static_cast<std::time_t>(s);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json to_json(const cert_facts& c, std::time_t now) {
  nlohmann::json j = {
      {"subject", c.subject},
      {"issuer", c.issuer},
      {"serial", c.serial},
      {"not_before", utc_text(c.not_before)},
      {"not_after", utc_text(c.not_after)},
      {"days_left", days_left(c, now)},
      {"sans", c.san_list()},
      {"sha256", c.sha256},
      {"key", c.key_curve.empty() ? c.key_type + " " + std::to_string(c.key_bits)
                                  : c.key_type + " " + std::to_string(c.key_bits) + " (" + c.key_curve + ")"},
      {"signature_algorithm", c.signature_algorithm},
      {"ca", c.is_ca},
  };
  if (!c.ca_issuers.empty()) j["ca_issuers"] = c.ca_issuers;
  return j;
}

} // namespace edgeprobe
