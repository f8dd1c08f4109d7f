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

// "Basic base64(user:password)", decoded; the password is wiped when it goes.
class credentials {
public:
  static std::optional<credentials> parse(std::string_view authorization) {
    const auto space = authorization.find(' ');
    if (space == std::string_view::npos || !iequals_ascii(authorization.substr(0, space), "basic")) return std::nullopt;
    auto token = authorization.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    const auto decoded = base64_decode(token);
    if (!decoded) return std::nullopt;
    credentials out;
    out.pair_.assign(decoded->begin(), decoded->end());
    out.colon_ = out.pair_.find(':');
    if (out.colon_ == std::string::npos) return std::nullopt;
    return out;
  }
  credentials(credentials&& other) noexcept : pair_(std::move(other.pair_)), colon_(other.colon_) {}
  ~credentials() { OPENSSL_cleanse(pair_.data(), pair_.size()); }

  std::string_view username() const { return {pair_.data(), colon_}; }
  std::string_view password() const { return std::string_view(pair_).substr(colon_ + 1); }

private:
  credentials() = default;
  std::string pair_;
  std::size_t colon_ = 0;
};

std::string decoy_for(const std::vector<serve_user>& users) {
  std::optional<hash_cost> slowest;
  for (const auto& u : users) {
    const auto cost = cost_of(u.password_hash);
    if (cost && (!slowest || cost->work() > slowest->work())) slowest = cost;
  }
  return slowest ? decoy_hash(*slowest) : std::string();
}

} // namespace

basic_auth::basic_auth(std::vector<serve_user> users) : users_(std::move(users)), decoy_(decoy_for(users_)) {}

std::optional<bool> basic_auth::verdict_without_hashing(std::string_view authorization) {
  if (users_.empty()) return true;
  const auto given = credentials::parse(authorization);
  if (!given) return false;
  for (const auto& u : users_) {
    if (u.username != given->username()) continue;
    const auto d = digest_of(u.password_hash, given->password());
    std::lock_guard lock(mutex_);
    const auto it = verified_.find(given->username());
    if (it != verified_.end() && CRYPTO_memcmp(it->second.data(), d.data(), d.size()) == 0) return true;
  }
  return std::nullopt;
}

bool basic_auth::allows(std::string_view authorization) {
  if (const auto known = verdict_without_hashing(authorization)) return *known;
  const auto given = credentials::parse(authorization);
  const serve_user* user = nullptr;
  for (const auto& u : users_)
    if (u.username == given->username()) user = &u;
  if (!user) {
    // As long as the slowest known user's check, so timing does not tell which names exist.
    password_matches(given->password(), decoy_);
    return false;
  }
  if (!password_matches(given->password(), user->password_hash)) return false;
  const auto d = digest_of(user->password_hash, given->password());
  std::lock_guard lock(mutex_);
  verified_[std::string(given->username())] = d;
  return true;
}

} // namespace edgeprobe
