#include "serve/basic_auth.hpp"

#include "serve/password_hash.hpp"
#include "wire/ascii.hpp"
#include "wire/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace edgeprobe {

namespace {

std::array<unsigned char, 32> digest_of(std::string_view hash, std::string_view password) {
  std::string both(hash);
  both.push_back('\0');
  both.append(password);
  std::array<unsigned char, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(both.data()), both.size(), out.data());
  OPENSSL_cleanse(both.data(), both.size());
  return out;
}

} // namespace

bool basic_auth::allows(std::string_view authorization) {
  if (users_.empty()) return true;
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals_ascii(authorization.substr(0, space), "basic")) return false;
  auto token = authorization.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  const auto decoded = base64_decode(token);
  if (!decoded) return false;
  std::string pair(decoded->begin(), decoded->end());
  const auto colon = pair.find(':');
  if (colon == std::string::npos) return false;
  const std::string_view username(pair.data(), colon), password(pair.data() + colon + 1, pair.size() - colon - 1);

  const serve_user* user = nullptr;
  for (const auto& u : users_)
    if (u.username == username) user = &u;
  bool ok = false;
  if (!user) {
    // Spend the same time as for a known user, so timing does not tell which names exist.
    password_matches(password, users_.front().password_hash);
  } else {
    const auto d = digest_of(user->password_hash, password);
    {
      std::lock_guard lock(mutex_);
      const auto it = verified_.find(username);
      if (it != verified_.end() && CRYPTO_memcmp(it->second.data(), d.data(), d.size()) == 0) ok = true;
    }
    if (!ok && password_matches(password, user->password_hash)) {
      ok = true;
      std::lock_guard lock(mutex_);
      verified_[std::string(username)] = d;
    }
  }
  OPENSSL_cleanse(pair.data(), pair.size());
  return ok;
}

} // namespace edgeprobe
