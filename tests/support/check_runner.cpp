#include "support/check_runner.hpp"

#include "core/registry.hpp"
#include "core/runner.hpp"

#include <doctest/doctest.h>

namespace edgeprobe::test {

namespace {

// Interim construction of a check without the suite loader (which is landing
// separately); replaced by load_suite_text once it is in.
struct collect_errors final : config_errors {
  std::vector<std::string> seen;
  void add(std::string pointer, std::string message, std::string) override { seen.push_back(pointer + ": " + message); }
};

target_spec split_target(const std::string& text, target_rules rules) {
  target_spec t{text, text, rules.default_port};
  if (rules.shape != target_rules::form::host_port) return t;
  const auto colon = text.rfind(':');
  if (colon != std::string::npos && text.find(']') != std::string::npos ? colon > text.find(']') : colon != std::string::npos) {
    t.host = text.substr(0, colon);
    t.port = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
  }
  if (!t.host.empty() && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  return t;
}

} // namespace

check_result run_check(nlohmann::json check) {
  suite s;
  s.name = "test";
  check_spec c;
  c.name = check.value("name", "check");
  c.prober = registry::builtin().find(check.at("probe").get<std::string>());
  REQUIRE(c.prober);
  c.target = split_target(check.at("target").get<std::string>(), c.prober->target());
  if (check.contains("timeout")) c.timeout = *parse_duration(check["timeout"].get<std::string>());
  c.retries = check.value("retries", 0);
  if (check.contains("resolver")) c.resolver.server = check["resolver"].get<std::string>();
  for (const char* common : {"name", "probe", "target", "timeout", "retries", "resolver"}) check.erase(common);
  c.options = check;
  collect_errors errors;
  c.config = c.prober->configure(check, errors);
  for (const auto& e : errors.seen) FAIL_CHECK(e);
  REQUIRE(errors.seen.empty());
  s.checks.push_back(std::move(c));
  run_options options;
  options.handle_signals = false;
  auto result = run_suite(s, options);
  REQUIRE(result.results.size() == 1);
  return result.results.front();
}

} // namespace edgeprobe::test
