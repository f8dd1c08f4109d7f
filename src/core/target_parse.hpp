// Splits a check's `target` the way its probe asks (probe::target_rules):
// host:port, [IPv6]:port, a bare name or address, or an http(s) URL.
#pragma once
#include "core/check.hpp"
#include "core/probe.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

struct target_problem {
  std::string expected;   // "host:port, such as ..." — the message says "must be " + expected
  std::string suggestion; // a fix for the likely mistake, may be empty
};

std::optional<target_spec> parse_target(std::string_view text, const target_rules& rules, target_problem& problem);

} // namespace edgeprobe
