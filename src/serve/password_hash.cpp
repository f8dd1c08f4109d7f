#include "serve/password_hash.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <charconv>
#include <memory>

namespace edgeprobe {

namespace {

// bcrypt's variants ($2a$ and $2y$ are what older htpasswd and PHP wrote) and
// SHA-256-crypt. Weaker schemes libxcrypt also knows (DES, MD5) are refused.
constexpr std::array bcrypt_prefixes{std::string_view{"$2b$"}, std::string_view{"$2y$"}, std::string_view{"$2a$"}};
constexpr std::string_view sha_crypt_prefix = "$5$";
constexpr unsigned long sha_crypt_default_rounds = 5000;
// Measured with libxcrypt 4.4 on the build machine, in CPU time: bcrypt cost
// 10 (1024 rounds) 51 ms, 1,000,000 SHA-256-crypt rounds 219 ms, so one
// bcrypt round is about 230 SHA rounds; 200 is near enough to rank hashes.
constexpr double sha_rounds_per_bcrypt_round = 200;

bool accepted_scheme(std::string_view hash) {
  for (auto prefix : bcrypt_prefixes)
    if (hash.starts_with(prefix)) return true;
  return hash.starts_with(sha_crypt_prefix);
}

std::optional<unsigned long> number_at_start(std::string_view text, std::size_t digits_at_most) {
  unsigned long value = 0;
  const auto end = text.data() + std::min(text.size(), digits_at_most);
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop == text.data()) return std::nullopt;
  return value;
}

} // namespace

double hash_cost::work() const {
  if (scheme == sha_crypt_prefix) return static_cast<double>(value);
  return static_cast<double>(1ull << std::min(value, 63ul)) * sha_rounds_per_bcrypt_round;
}

std::optional<hash_cost> cost_of(std::string_view hash) {
  for (auto prefix : bcrypt_prefixes) {
    if (!hash.starts_with(prefix)) continue;
    // "$2b$NN$": always two digits.
    const auto rest = hash.substr(prefix.size());
    if (rest.size() < 3 || rest[2] != '$') return std::nullopt;
    auto cost = number_at_start(rest, 2);
    if (!cost) return std::nullopt;
    return hash_cost{std::string(prefix), *cost};
  }
  if (!hash.starts_with(sha_crypt_prefix)) return std::nullopt;
  constexpr std::string_view rounds_key = "rounds=";
  const auto rest = hash.substr(sha_crypt_prefix.size());
  if (!rest.starts_with(rounds_key)) return hash_cost{std::string(sha_crypt_prefix), sha_crypt_default_rounds};
  // At most 10 digits: libxcrypt's own limit is 999,999,999.
  auto rounds = number_at_start(rest.substr(rounds_key.size()), 10);
  if (!rounds) return std::nullopt;
  return hash_cost{std::string(sha_crypt_prefix), *rounds};
}

std::optional<std::string> password_hash_problem(std::string_view hash) {
  if (!accepted_scheme(hash))
    return "is not a bcrypt ($2b$…) or SHA-256-crypt ($5$…) hash; make one with `htpasswd -nbBC 10 '' PASSWORD` or "
           "`openssl passwd -5 PASSWORD`";
  const std::string text(hash);
  // libxcrypt calls SHA-256-crypt "legacy" (it prefers yescrypt), but it is
  // still salted and slow, and what `openssl passwd -5` writes everywhere.
  const int salt = text.find('\0') != std::string::npos ? CRYPT_SALT_INVALID : crypt_checksalt(text.c_str());
  const auto cost = cost_of(hash);
  if ((salt != CRYPT_SALT_OK && salt != CRYPT_SALT_METHOD_LEGACY) || !cost)
    return "is not a well-formed hash (salt or cost is wrong)";
  // Before hashing anything: the check below would take as long as the cost says.
  if (cost->scheme == sha_crypt_prefix && cost->value > max_sha_crypt_rounds)
    return "asks for " + std::to_string(cost->value) + " SHA-256-crypt rounds, above the maximum of " +
           std::to_string(max_sha_crypt_rounds) + " (each check of a password would take too long)";
  if (cost->scheme != sha_crypt_prefix && cost->value > max_bcrypt_cost)
    return "has bcrypt cost " + std::to_string(cost->value) + ", above the maximum of " +
           std::to_string(max_bcrypt_cost) + " (each check of a password would take too long)";
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

std::string decoy_hash(const hash_cost& cost) {
  // A fixed salt and a hash part of the right length that is not the salt's
  // hash of anything one can type ('.' is bcrypt's and crypt's zero digit).
  if (cost.scheme == sha_crypt_prefix)
    return std::string(sha_crypt_prefix) + "rounds=" + std::to_string(cost.value) + "$edgeprobedecoy00$" +
           std::string(43, '.');
  const std::string two_digits = (cost.value < 10 ? "0" : "") + std::to_string(cost.value);
  return cost.scheme + two_digits + "$" + std::string(22, '.') + std::string(31, '.');
}

} // namespace edgeprobe
