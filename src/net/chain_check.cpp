#include "net/chain_check.hpp"

#include "net/cert_facts.hpp"

#include <openssl/x509v3.h>

#include <algorithm>

namespace edgeprobe {

namespace {

// Called by OpenSSL for every certificate and every problem. Returning 1 goes
// on verifying after a problem, so all of them are collected.
int collect_problem(int ok, X509_STORE_CTX* ctx) {
  if (ok) return 1;
  auto* out = static_cast<std::vector<chain_problem>*>(X509_STORE_CTX_get_app_data(ctx));
  const int code = X509_STORE_CTX_get_error(ctx);
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  const bool seen = std::any_of(out->begin(), out->end(),
                                [&](const chain_problem& p) { return p.code == code && p.depth == depth; });
  if (!seen)
    out->push_back({depth, code, X509_verify_cert_error_string(code),
                    cert ? name_text(X509_get_subject_name(cert)) : std::string{}});
  return 1;
}

} // namespace

chain_verdict verify_chain(const std::vector<ossl::x509>& sent, X509_STORE* trust, std::time_t at) {
  chain_verdict v;
  if (sent.empty()) {
    v.code = X509_V_ERR_UNSPECIFIED;
    v.text = "the server sent no certificate";
    v.problems.push_back({0, v.code, v.text, {}});
    return v;
  }
  ossl::x509_stack untrusted(sk_X509_new_null());
  for (std::size_t i = 1; i < sent.size(); ++i) {
    X509_up_ref(sent[i].get());
    sk_X509_push(untrusted.get(), sent[i].get());
  }
  ossl::x509_store_ctx ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust, sent[0].get(), untrusted.get()) != 1) {
    v.code = X509_V_ERR_UNSPECIFIED;
    v.text = "could not set up verification: " + ossl::take_errors();
    v.problems.push_back({0, v.code, v.text, {}});
    return v;
  }
  X509_STORE_CTX_set_app_data(ctx.get(), &v.problems);
  X509_STORE_CTX_set_verify_cb(ctx.get(), collect_problem);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), at);
  X509_verify_cert(ctx.get());
  ossl::take_errors(); // verification leaves its reasons on the queue; they are in `problems`

  if (STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get()))
    for (int i = 0; i < sk_X509_num(chain); ++i)
      v.built.push_back(name_text(X509_get_subject_name(sk_X509_value(chain, i))));
  std::stable_sort(v.problems.begin(), v.problems.end(),
                   [](const chain_problem& a, const chain_problem& b) { return a.depth < b.depth; });
  if (v.problems.empty()) {
    v.text = "ok";
  } else {
    v.code = v.problems.front().code;
    v.text = v.problems.front().text;
  }
  return v;
}

ossl::x509_store load_trust_store(const std::string& ca_file, std::string& error) {
  ossl::x509_store store(X509_STORE_new());
  if (!store) {
    error = "out of memory";
    return {};
  }
  if (ca_file.empty()) {
    if (X509_STORE_set_default_paths(store.get()) != 1) {
      error = "cannot load the system's trusted roots: " + ossl::take_errors();
      return {};
    }
    return store;
  }
  if (X509_STORE_load_file(store.get(), ca_file.c_str()) != 1) {
    error = "cannot load certificates from \"" + ca_file + "\": " + ossl::take_errors();
    return {};
  }
  return store;
}

} // namespace edgeprobe
