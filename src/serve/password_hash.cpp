#include "serve/password_hash.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <memory>

namespace edgeprobe {

namespace {

// bcrypt's variants ($2a$ and $2y$ are what older htpasswd and PHP wrote) and
// SHA-256-crypt. Weaker schemes libxcrypt also knows (DES, MD5) are refused.
constexpr std::array accepted_prefixes{std::string_view{"$2b$"}, std::string_view{"$2y$"},
                                       std::string_view{"$2a$"}, std::string_view{"$5$"}};

bool accepted_scheme(std::string_view hash) {
  for (auto prefix : accepted_prefixes)
    if (hash.starts_with(prefix)) return true;
  return false;
}

} // namespace

std::optional<std::string> password_hash_problem(std::string_view hash) {
  if (!accepted_scheme(hash))
    return "is not a bcrypt ($2b$…) or SHA-256-crypt ($5$…) hash; make one with `htpasswd -nbBC 10 '' PASSWORD` or "
           "`openssl passwd -5 PASSWORD`";
  const std::string text(hash);
  // libxcrypt calls SHA-256-crypt "legacy" (it prefers yescrypt), but it is
  // still salted and slow, and what `openssl passwd -5` writes everywhere.
  const int salt = text.find('\0') != std::string::npos ? CRYPT_SALT_INVALID : crypt_checksalt(text.c_str());
  if (salt != CRYPT_SALT_OK && salt != CRYPT_SALT_METHOD_LEGACY)
    return "is not a well-formed hash (salt or cost is wrong)";
  // A complete hash reproduces itself from its own setting; a bare salt does not.
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn("", text.c_str(), data.get(), sizeof *data);
  if (!out || std::string_view(out).size() != hash.size()) return "is incomplete: the hash part after the salt is missing";
  return std::nullopt;
}

bool password_matches(std::string_view password, std::string_view hash) {
  if (!accepted_scheme(hash) || password.find('\0') != std::string_view::npos) return false;
  const std::string phrase(password), setting(hash);
  auto data = std::make_unique<crypt_data>(); // 32 KiB: too big for a coroutine's frame
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof *data);
  if (!out) return false;
  const std::string_view computed(out);
  return computed.size() == hash.size() && CRYPTO_memcmp(computed.data(), hash.data(), hash.size()) == 0;
}

} // namespace edgeprobe
