// HTTP Basic authentication against serve's configured users (RFC 7617).
// bcrypt is slow on purpose (tens of milliseconds), and Prometheus sends the
// same credentials on every scrape, so a verified pair is remembered — as a
// SHA-256 of hash and password, never the password itself.
#pragma once
#include "serve/serve_config.hpp"

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

class basic_auth {
public:
  explicit basic_auth(std::vector<serve_user> users);

  bool required() const { return !users_.empty(); }
  // `authorization`: the request's Authorization header, possibly empty. May
  // hash the password (up to a second at the highest cost serve accepts).
  bool allows(std::string_view authorization);
  // What can be said without hashing: true for a pair verified before, false
  // for a header that is missing or malformed, nullopt when only allows() can tell.
  std::optional<bool> verdict_without_hashing(std::string_view authorization);

  // What an unknown user's password is checked against: a hash no password
  // matches with the cost of the most expensive configured user's (empty
  // without users), so a wrong password takes as long for a name that does not
  // exist as for the slowest one that does.
  const std::string& decoy() const { return decoy_; }

private:
  using digest = std::array<unsigned char, 32>;
  std::vector<serve_user> users_;
  std::string decoy_;
  std::mutex mutex_;
  std::map<std::string, digest, std::less<>> verified_; // username → digest of (hash, password)
};

} // namespace edgeprobe
