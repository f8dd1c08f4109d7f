// Owning handles for OpenSSL objects, and OpenSSL's error queue as text.
#pragma once
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

namespace edgeprobe::ossl {

template <auto Free> struct deleter {
  template <class T> void operator()(T* p) const { Free(p); }
};

using ssl_ctx = std::unique_ptr<SSL_CTX, deleter<SSL_CTX_free>>;
using ssl = std::unique_ptr<SSL, deleter<SSL_free>>;
using x509 = std::unique_ptr<X509, deleter<X509_free>>;
using x509_name = std::unique_ptr<X509_NAME, deleter<X509_NAME_free>>;
using x509_store = std::unique_ptr<X509_STORE, deleter<X509_STORE_free>>;
using x509_store_ctx = std::unique_ptr<X509_STORE_CTX, deleter<X509_STORE_CTX_free>>;
using pkey = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY_free>>;
using bio = std::unique_ptr<BIO, deleter<BIO_free_all>>;

inline void free_x509_stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using x509_stack = std::unique_ptr<STACK_OF(X509), deleter<free_x509_stack>>;

// A new reference to `cert` (X509_up_ref), owned.
inline x509 share(X509* cert) {
  if (cert) X509_up_ref(cert);
  return x509(cert);
}

// Drains this thread's OpenSSL error queue into one line ("" when empty): the
// reasons OpenSSL gives, most recent last.
std::string take_errors();

} // namespace edgeprobe::ossl
