#include "core/result.hpp"

#include <algorithm>

namespace edgeprobe {

void verdict::raise(status s, reason r, std::string msg) {
  // The same finding again (a relay answering every request from elsewhere)
  // tells nothing new: it is listed once.
  const auto same = [&](const finding& f) { return f.state == s && f.why == r && f.message == msg; };
  if (is_finding(s) && std::none_of(findings.begin(), findings.end(), same)) findings.push_back({s, r, msg, {}});
  if (s <= state && !(state == status::pass && s == status::pass)) return;
  if (s == status::pass && why != reason::none) return;
  state = s;
  why = r;
  message = std::move(msg);
}

status run_result::overall() const {
  status s = status::pass;
  for (const auto& r : results) s = worst(s, r.outcome.state);
  return s;
}

run_summary run_result::summary() const {
  run_summary out;
  for (const auto& r : results) {
    ++out.total;
    switch (r.outcome.state) {
      case status::pass: ++out.pass; break;
      case status::warn: ++out.warn; break;
      case status::fail: ++out.fail; break;
      case status::error: ++out.error; break;
      case status::skip: ++out.skip; break;
    }
  }
  return out;
}

void materialize_evidence(verdict& v) {
  if (!v.part) return;
  if (!v.details.is_object()) v.details = nlohmann::json::object();
  v.part->add_to(v.details);
  v.part.reset();
}

void materialize_evidence(check_result& r) {
  materialize_evidence(r.outcome);
  for (auto& a : r.addresses) materialize_evidence(a.outcome);
}

void materialize_evidence(run_result& run) {
  for (auto& r : run.results) materialize_evidence(r);
}

} // namespace edgeprobe
