// One resolver per distinct resolver setting in a run, shared by its checks.
#pragma once
#include "net/resolver.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace edgeprobe {

class resolver_pool {
public:
  explicit resolver_pool(net::any_io_executor executor) : executor_(std::move(executor)) {}

  // Throws std::invalid_argument for a server the resolver cannot use.
  resolver& get(const resolver_spec& spec) {
    for (auto& [known, r] : resolvers_)
      if (known == spec) return *r;
    resolvers_.emplace_back(spec, std::make_unique<resolver>(executor_, spec));
    return *resolvers_.back().second;
  }

private:
  net::any_io_executor executor_;
  std::vector<std::pair<resolver_spec, std::unique_ptr<resolver>>> resolvers_;
};

} // namespace edgeprobe
