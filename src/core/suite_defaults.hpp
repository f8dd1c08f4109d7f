// Step three of loading a suite: merge the `defaults` of every file (an includer's
// override its includes', key by key and, inside `expect`, per expectation) and
// check them: a default may be any common check option except name, probe, target
// and needs, or any option or expectation at least one registered probe knows.
#pragma once
#include "core/load_context.hpp"

#include <map>
#include <string>
#include <vector>

namespace edgeprobe {

struct default_value {
  nlohmann::json value; // expanded, not normalised (each probe normalises its own way)
  std::size_t file = 0;
  std::string pointer;
};

struct suite_defaults {
  std::map<std::string, default_value> options; // common keys and probe options
  std::map<std::string, default_value> expect;
};

suite_defaults merge_defaults(load_context& ctx);

// The specs every registered probe has for `key` (among its expectations when
// `expect`), in registration order.
std::vector<const option_spec*> specs_for(const registry& probes, std::string_view key, bool expect);

// Every option (or expectation) key some registered probe knows.
std::vector<std::string_view> all_probe_keys(const registry& probes, bool expect);

} // namespace edgeprobe
