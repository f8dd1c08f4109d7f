#include "serve/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace edgeprobe {

double rate_limiter::refilled(const bucket& b, clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - b.updated).count();
  return std::min(burst_, b.tokens + std::max(0.0, seconds) * per_second_);
}

bool rate_limiter::allow(const boost::asio::ip::address& client, clock::time_point now) {
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) forget_quiet_clients(now);
    it = buckets_.emplace(client, bucket{burst_, now}).first;
  }
  auto& b = it->second;
  b.tokens = refilled(b, now);
  b.updated = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

int rate_limiter::retry_after_seconds(const boost::asio::ip::address& client, clock::time_point now) const {
  const auto it = buckets_.find(client);
  if (it == buckets_.end()) return 1;
  const double missing = 1.0 - refilled(it->second, now);
  return std::max(1, static_cast<int>(std::ceil(missing / per_second_)));
}

// Drops the clients whose buckets are full (they have been quiet long enough to
// refill); if none are, the half with the most tokens. Either way the table
// shrinks, and a client that is being limited keeps its empty bucket.
void rate_limiter::forget_quiet_clients(clock::time_point now) {
  std::vector<std::pair<double, boost::asio::ip::address>> by_tokens;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double tokens = refilled(it->second, now);
    if (tokens >= burst_) it = buckets_.erase(it);
    else by_tokens.emplace_back(tokens, (it++)->first);
  }
  if (buckets_.size() < max_clients_) return;
  std::sort(by_tokens.begin(), by_tokens.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < by_tokens.size() / 2 + 1 && i < by_tokens.size(); ++i) buckets_.erase(by_tokens[i].second);
}

} // namespace edgeprobe
