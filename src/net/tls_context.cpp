#include "net/tls_context.hpp"

#include <openssl/pem.h>

#include <sstream>

namespace edgeprobe {

namespace {

struct version_name {
  int version;
  std::string_view text;
};
constexpr version_name versions[] = {
    {TLS1_VERSION, "1.0"}, {TLS1_1_VERSION, "1.1"}, {TLS1_2_VERSION, "1.2"}, {TLS1_3_VERSION, "1.3"}};

// ALPN's wire form: each protocol prefixed by its length.
std::string alpn_wire(const std::vector<std::string>& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    wire += static_cast<char>(p.size());
    wire += p;
  }
  return wire;
}

// Splits "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256" into the TLS 1.3
// suites and the rest, which OpenSSL configures separately.
void split_ciphers(const std::string& all, std::string& tls13, std::string& older) {
  std::stringstream in(all);
  for (std::string item; std::getline(in, item, ':');) {
    if (item.empty()) continue;
    auto& into = item.rfind("TLS_", 0) == 0 ? tls13 : older;
    into += (into.empty() ? "" : ":") + item;
  }
}

bool configure_ciphers(SSL_CTX* ctx, const std::string& ciphers, std::string& error) {
  // Security level 0: offer and accept what old servers use (SHA-1 signatures,
  // TLS 1.0), so the probe reports them instead of failing to talk to them.
  if (ciphers.empty()) return SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") == 1;
  std::string tls13, older;
  split_ciphers(ciphers, tls13, older);
  if (!older.empty() && SSL_CTX_set_cipher_list(ctx, (older + ":@SECLEVEL=0").c_str()) != 1) {
    error = "no usable cipher in \"" + older + "\" (" + ossl::take_errors() + "); `openssl ciphers -v` lists the names";
    return false;
  }
  if (older.empty()) SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  if (!tls13.empty() && SSL_CTX_set_ciphersuites(ctx, tls13.c_str()) != 1) {
    error = "no usable TLS 1.3 suite in \"" + tls13 + "\" (" + ossl::take_errors() + ")";
    return false;
  }
  return true;
}

bool use_versions(SSL_CTX* ctx, int min, int max, std::string& error) {
  if ((min && SSL_CTX_set_min_proto_version(ctx, min) != 1) || (max && SSL_CTX_set_max_proto_version(ctx, max) != 1)) {
    error = "cannot set the protocol versions: " + ossl::take_errors();
    return false;
  }
  return true;
}

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned inlen,
                void* arg) {
  const auto* mine = static_cast<const std::string*>(arg);
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, reinterpret_cast<const unsigned char*>(mine->data()),
                            static_cast<unsigned>(mine->size()), in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

} // namespace

std::optional<int> parse_tls_version(std::string_view text) {
  if (text.rfind("TLSv", 0) == 0) text.remove_prefix(4);
  if (text == "1") text = "1.0";
  for (const auto& v : versions)
    if (v.text == text) return v.version;
  return std::nullopt;
}

std::string tls_version_text(int version) {
  for (const auto& v : versions)
    if (v.version == version) return "TLSv" + std::string(v.text == "1.0" ? "1" : v.text);
  if (version == SSL3_VERSION) return "SSLv3";
  return "unknown (0x" + std::to_string(version) + ")";
}

std::vector<ossl::x509> read_pem_certificates(std::string_view pem) {
  std::vector<ossl::x509> out;
  ossl::bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* cert = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert);
  ossl::take_errors(); // the end of the text reads as an error
  return out;
}

ossl::ssl_ctx make_client_context(const tls_client_settings& s, std::string& error) {
  ossl::ssl_ctx ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    error = "cannot create a TLS context: " + ossl::take_errors();
    return {};
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (!configure_ciphers(ctx.get(), s.ciphers, error) || !use_versions(ctx.get(), s.min_version, s.max_version, error))
    return {};
  if (!s.alpn.empty()) {
    const auto wire = alpn_wire(s.alpn);
    SSL_CTX_set_alpn_protos(ctx.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  if (!s.client_cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), s.client_cert_file.c_str()) != 1) {
      error = "cannot use client_cert \"" + s.client_cert_file + "\": " + ossl::take_errors();
      return {};
    }
    const auto& key = s.client_key_file.empty() ? s.client_cert_file : s.client_key_file;
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx.get()) != 1) {
      error = "cannot use client_key \"" + key + "\" (is it the key of client_cert?): " + ossl::take_errors();
      return {};
    }
  }
  return ctx;
}

ossl::ssl_ctx make_server_context(const tls_server_settings& s, std::string& error) {
  ossl::ssl_ctx ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    error = "cannot create a TLS context: " + ossl::take_errors();
    return {};
  }
  if (!use_versions(ctx.get(), s.min_version, s.max_version, error)) return {};
  if (s.min_version && s.min_version < TLS1_2_VERSION) SSL_CTX_set_cipher_list(ctx.get(), "ALL:@SECLEVEL=0");

  auto certs = read_pem_certificates(s.chain_pem);
  if (certs.empty() || SSL_CTX_use_certificate(ctx.get(), certs.front().get()) != 1) {
    error = "no usable certificate in the chain: " + ossl::take_errors();
    return {};
  }
  for (std::size_t i = 1; i < certs.size(); ++i) SSL_CTX_add1_chain_cert(ctx.get(), certs[i].get());
  ossl::bio key_in(BIO_new_mem_buf(s.key_pem.data(), static_cast<int>(s.key_pem.size())));
  ossl::pkey key(PEM_read_bio_PrivateKey(key_in.get(), nullptr, nullptr, nullptr));
  if (!key || SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 || SSL_CTX_check_private_key(ctx.get()) != 1) {
    error = "the key does not fit the certificate: " + ossl::take_errors();
    return {};
  }
  if (!s.client_ca_pem.empty()) {
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    for (const auto& ca : read_pem_certificates(s.client_ca_pem))
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get())));
    SSL_CTX_set_client_CA_list(ctx.get(), names); // takes ownership
    // Verification of what the client sends is not the responder's job: it
    // asks, reports, and (with require_client_cert) insists that one is sent.
    SSL_CTX_set_verify(ctx.get(),
                       SSL_VERIFY_PEER | (s.require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                       [](int, X509_STORE_CTX*) { return 1; });
  }
  if (!s.alpn.empty()) {
    // The wire form lives as long as the context: ex_data would do the same.
    auto* wire = new std::string(alpn_wire(s.alpn));
    static const int index = SSL_CTX_get_ex_new_index(
        0, nullptr, nullptr, nullptr, [](void*, void* p, CRYPTO_EX_DATA*, int, long, void*) {
          delete static_cast<std::string*>(p);
        });
    SSL_CTX_set_ex_data(ctx.get(), index, wire);
    SSL_CTX_set_alpn_select_cb(ctx.get(), select_alpn, wire);
  }
  return ctx;
}

} // namespace edgeprobe
