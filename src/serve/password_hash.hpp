// Basic-auth passwords as serve's config stores them: never in clear, only as a
// salted, slow hash that libxcrypt (Debian's libcrypt) checks. bcrypt is what
// Prometheus's own web config takes; SHA-256-crypt is what `openssl passwd -5`
// and `mkpasswd -m sha-256` write on any machine.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

// The most work serve accepts in one hash, each under a second of CPU on the
// build machine (bcrypt 14: 0.8 s, 1,000,000 SHA rounds: 0.22 s): a hash that
// costs more makes every check of a wrong password (and `serve --check`) take
// seconds to days, so it is refused at load.
inline constexpr unsigned max_bcrypt_cost = 14;              // 2^14 rounds
inline constexpr unsigned long max_sha_crypt_rounds = 1'000'000; // `$5$rounds=N$`

// How much work a hash asks for, read from its setting without hashing.
struct hash_cost {
  std::string scheme;  // "$2b$" (or "$2y$", "$2a$") or "$5$"
  unsigned long value; // bcrypt: the log2 cost; SHA-256-crypt: the rounds (5000 when not written)
  // Both schemes in one unit (SHA-256-crypt rounds), to find the slowest hash
  // of a config: one bcrypt round (of 2^cost) costs about 200 of them (measured).
  double work() const;
};

// nullopt when `hash` is not a bcrypt or SHA-256-crypt setting whose cost can be read.
std::optional<hash_cost> cost_of(std::string_view hash);

// Why `hash` cannot be used ("not a bcrypt ($2b$) or SHA-256-crypt ($5$) hash",
// "cost 31 is above the maximum of 14"), or nullopt when it can.
std::optional<std::string> password_hash_problem(std::string_view hash);

// True when `password` hashes to `hash`. Compares in constant time; a hash that
// is not usable never matches.
bool password_matches(std::string_view password, std::string_view hash);

// A hash no password matches that costs exactly as much to check as one with
// `cost`: what an unknown user's password is checked against.
std::string decoy_hash(const hash_cost& cost);

} // namespace edgeprobe
