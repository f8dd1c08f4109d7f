// A set of probes by name: what the suite loader checks a check's `probe`
// against. The built-in set is filled from the one explicit list of probe
// modules (probes/modules.hpp; Catch2's reporter registry: built-ins registered
// in one place, not by static self-registration, which a static library drops).
#pragma once
#include "core/probe.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace edgeprobe {

class registry {
public:
  void add(std::unique_ptr<probe> p); // throws std::logic_error on a duplicate name
  const probe* find(std::string_view name) const;
  std::vector<const probe*> all() const; // in registration order
  std::vector<std::string_view> names() const;

private:
  std::vector<std::unique_ptr<probe>> probes_;
};

} // namespace edgeprobe
