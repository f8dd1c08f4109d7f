// Per-client request rate limit for serve's endpoint: a token bucket for each
// client address. The table is bounded, so a flood from many addresses costs
// memory only up to `max_clients` entries (the fullest buckets are forgotten
// first: forgetting a client that has been quiet changes nothing).
#pragma once
#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstddef>
#include <map>

namespace edgeprobe {

class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  rate_limiter(double per_second, double burst, std::size_t max_clients = 4096)
      : per_second_(per_second), burst_(burst), max_clients_(max_clients) {}

  // A reload's new limits; buckets keep their tokens (capped at the new burst).
  void set_rate(double per_second, double burst) {
    per_second_ = per_second;
    burst_ = burst;
  }

  // Takes a token for `client`; false when it has none left.
  bool allow(const boost::asio::ip::address& client, clock::time_point now = clock::now());
  // Seconds until `client` has a token again (for Retry-After), at least 1.
  int retry_after_seconds(const boost::asio::ip::address& client, clock::time_point now = clock::now()) const;
  std::size_t clients() const { return buckets_.size(); }

private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };
  double refilled(const bucket& b, clock::time_point now) const;
  void forget_quiet_clients(clock::time_point now);

  double per_second_, burst_;
  std::size_t max_clients_;
  std::map<boost::asio::ip::address, bucket> buckets_;
};

} // namespace edgeprobe
