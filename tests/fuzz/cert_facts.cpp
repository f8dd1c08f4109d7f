// libFuzzer entry for what the tls probe reads from a server's certificate:
// any DER OpenSSL accepts as a certificate (the server chooses every byte of
// it) must give facts, evidence JSON and a chain verdict without crashing.
#include "net/cert_facts.hpp"
#include "net/chain_check.hpp"

#include <openssl/x509.h>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const unsigned char* p = data;
  ossl::x509 cert(d2i_X509(nullptr, &p, static_cast<long>(size)));
  if (!cert) return 0;
  const auto facts = read_cert_facts(cert.get());
  const auto now = facts.not_before + 86400;
  // Reports replace invalid UTF-8 (a name may hold any bytes), as json_report does.
  (void)to_json(facts, now).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (facts.sha256.size() != 95) std::abort(); // 32 bytes as "AB:" … "EF"
  ossl::x509_store store(X509_STORE_new());
  std::vector<ossl::x509> chain;
  chain.push_back(std::move(cert));
  const auto verdict = verify_chain(chain, store.get(), now);
  if (verdict.ok()) std::abort(); // nothing is trusted: nothing can verify
  return 0;
}
