// Test probes for the suite loader tests: option specs covering every option_kind,
// one probe per target form, and one whose configure() finds a semantic error,
// so loader tests never depend on the real probes.
#pragma once
#include "core/registry.hpp"
#include "core/suite_loader.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::test {

// What a fake probe's configure() was given.
struct fake_config : probe_config {
  nlohmann::json options;
};

// alpha: host:port with every option kind; web: URL; lookup: name;
// sip: host with default port 5061, configure() rejects min > max.
const registry& fake_registry();

// Loads `text` as "suite.json" in `dir` (default: tests/data/suites) against the fake registry.
load_result load_fake(std::string_view text, const std::filesystem::path& dir = {},
                      std::map<std::string, std::string> vars = {});
load_result load_fake_file(const std::filesystem::path& path);

std::filesystem::path data_dir(); // tests/data/suites

// The errors as to_string() prints them, one per line (for failure messages).
std::string all_errors(const load_result& r);
// The first error whose pointer is `pointer`, or nullptr.
const diagnostic* error_at(const load_result& r, std::string_view pointer);

} // namespace edgeprobe::test
