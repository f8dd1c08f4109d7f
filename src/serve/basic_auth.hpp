// HTTP Basic authentication against serve's configured users (RFC 7617).
// bcrypt is slow on purpose (tens of milliseconds), and Prometheus sends the
// same credentials on every scrape, so a verified pair is remembered — as a
// SHA-256 of hash and password, never the password itself.
#pragma once
#include "serve/serve_config.hpp"

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace edgeprobe {

class basic_auth {
public:
  explicit basic_auth(std::vector<serve_user> users) : users_(std::move(users)) {}

  bool required() const { return !users_.empty(); }
  // `authorization`: the request's Authorization header, possibly empty.
  bool allows(std::string_view authorization);

private:
  using digest = std::array<unsigned char, 32>;
  std::vector<serve_user> users_;
  std::mutex mutex_;
  std::map<std::string, digest, std::less<>> verified_; // username → digest of (hash, password)
};

} // namespace edgeprobe
