#include "core/finding.hpp"

namespace edgeprobe {

nlohmann::json problems_json(const std::vector<finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json entry = {{"reason", code(f.why)}, {"status", to_string(f.state)}, {"message", f.message}};
    if (!f.address.empty()) entry["address"] = f.address;
    out.push_back(std::move(entry));
  }
  return out;
}

} // namespace edgeprobe
