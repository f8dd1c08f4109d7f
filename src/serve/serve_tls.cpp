#include "serve/serve_tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace edgeprobe {

namespace {

std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

} // namespace

std::shared_ptr<boost::asio::ssl::context> make_serve_tls_context(const serve_tls_files& files, std::string& error) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, files.certificate.c_str()) != 1) {
    error = "the certificate " + files.certificate.string() + " does not load: " + openssl_reason();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(native, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = "the key " + files.key.string() + " does not load: " + openssl_reason();
    return nullptr;
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    error = "the key " + files.key.string() + " does not belong to the certificate " + files.certificate.string();
    ERR_clear_error();
    return nullptr;
  }
  return ctx;
}

} // namespace edgeprobe
