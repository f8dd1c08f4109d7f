#include "run/problems.hpp"

#include <utility>

namespace edgeprobe {

namespace {

void write(verdict& v) {
  if (!v.details.is_object()) v.details = nlohmann::json::object();
  v.details["problems"] = problems_json(std::exchange(v.findings, {}));
}

} // namespace

void write_problems(check_result& r) {
  write(r.outcome);
  for (auto& a : r.addresses) write(a.outcome);
}

} // namespace edgeprobe
