#include "core/registry.hpp"

#include <stdexcept>
#include <string>

namespace edgeprobe {

void registry::add(std::unique_ptr<probe> p) {
  if (find(p->name())) throw std::logic_error("probe registered twice: " + std::string(p->name()));
  probes_.push_back(std::move(p));
}

const probe* registry::find(std::string_view name) const {
  for (const auto& p : probes_)
    if (p->name() == name) return p.get();
  return nullptr;
}

std::vector<const probe*> registry::all() const {
  std::vector<const probe*> out;
  for (const auto& p : probes_) out.push_back(p.get());
  return out;
}

std::vector<std::string_view> registry::names() const {
  std::vector<std::string_view> out;
  for (const auto& p : probes_) out.push_back(p->name());
  return out;
}

} // namespace edgeprobe
