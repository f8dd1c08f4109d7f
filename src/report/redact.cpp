#include "report/redact.hpp"

namespace edgeprobe {

namespace {

void redact(verdict& v, const secret_set& secrets) {
  v.message = secrets.redact(v.message);
  v.hint = secrets.redact(v.hint);
  secrets.redact(v.details);
}

} // namespace

void redact(run_result& run, const secret_set& secrets) {
  if (secrets.empty()) return;
  run.suite = secrets.redact(run.suite);
  for (auto& c : run.results) {
    c.name = secrets.redact(c.name);
    c.target = secrets.redact(c.target);
    for (auto& tag : c.tags) tag = secrets.redact(tag);
    redact(c.outcome, secrets);
    for (auto& a : c.addresses) {
      a.address = secrets.redact(a.address);
      redact(a.outcome, secrets);
    }
  }
}

} // namespace edgeprobe
