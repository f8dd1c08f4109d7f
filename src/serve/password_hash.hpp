// Basic-auth passwords as serve's config stores them: never in clear, only as a
// salted, slow hash that libxcrypt (Debian's libcrypt) checks. bcrypt is what
// Prometheus's own web config takes; SHA-256-crypt is what `openssl passwd -5`
// and `mkpasswd -m sha-256` write on any machine.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

// Why `hash` cannot be used ("not a bcrypt ($2b$) or SHA-256-crypt ($5$) hash"),
// or nullopt when it can.
std::optional<std::string> password_hash_problem(std::string_view hash);

// True when `password` hashes to `hash`. Compares in constant time; a hash that
// is not usable never matches.
bool password_matches(std::string_view password, std::string_view hash);

} // namespace edgeprobe
