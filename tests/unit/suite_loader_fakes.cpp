#include "suite_loader_fakes.hpp"

namespace edgeprobe::test {

namespace {

class fake_probe final : public probe {
public:
  fake_probe(std::string_view name, target_rules rules, probe_options options, bool check_range = false)
      : name_(name), rules_(rules), options_(std::move(options)), check_range_(check_range) {}

  std::string_view name() const override { return name_; }
  std::string_view summary() const override { return "a test probe"; }
  target_rules target() const override { return rules_; }
  const probe_options& options() const override { return options_; }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& options, config_errors& errors) const override {
    if (check_range_ && options.contains("min") && options.contains("max") &&
        options["min"].get<int>() > options["max"].get<int>()) {
      errors.add("/max", "must not be below min (" + options["min"].dump() + ")", "raise max or lower min");
      return nullptr;
    }
    auto config = std::make_shared<fake_config>();
    config->options = options;
    return config;
  }

  net::awaitable<verdict> run(probe_context&) const override { co_return verdict{}; }

private:
  std::string_view name_;
  target_rules rules_;
  probe_options options_;
  bool check_range_;
};

} // namespace

const registry& fake_registry() {
  static const registry instance = [] {
    registry r;
    r.add(std::make_unique<fake_probe>(
        "alpha", target_rules{target_rules::form::host_port, 0},
        probe_options{
            {
                {"mode", option_kind::choice, "how", {"fast", "slow"}},
                {"banner", option_kind::string, "a text"},
                {"verbose", option_kind::boolean, "a flag"},
                {"count", option_kind::integer, "how many", {}, 1, 5},
                {"offset", option_kind::integer, "any integer"},
                {"interval", option_kind::duration, "how often"},
                {"headers", option_kind::string_map, "extra headers"},
                {"ports", option_kind::port_set, "more ports"},
                {"send", option_kind::bytes, "what to send"},
                {"source", option_kind::address, "where from"},
                {"names", option_kind::string_list, "some names"},
                {"username", option_kind::string, "who"},
                {"password", option_kind::string, "the secret"},
            },
            {
                {"min_days_left", option_kind::integer, "days", {}, 0, 3650},
                {"san_includes", option_kind::string_list, "names"},
                {"reply", option_kind::pattern, "what comes back"},
                {"state", option_kind::choice, "open or closed", {"open", "closed"}},
            }}));
    r.add(std::make_unique<fake_probe>(
        "web", target_rules{target_rules::form::url, 0},
        probe_options{{{"method", option_kind::choice, "verb", {"GET", "POST"}},
                       {"password", option_kind::string, "the secret"}},
                      {{"status", option_kind::integer, "HTTP status", {}, 100, 599},
                       {"body", option_kind::pattern, "body match"}}}));
    r.add(std::make_unique<fake_probe>(
        "lookup", target_rules{target_rules::form::name, 0},
        probe_options{{{"record", option_kind::choice, "type", {"A", "AAAA", "SRV"}}},
                      {{"answers", option_kind::string_list, "expected answers"}}}));
    r.add(std::make_unique<fake_probe>(
        "sip", target_rules{target_rules::form::host_port, 5061},
        probe_options{{{"min", option_kind::integer, "low"},
                       {"max", option_kind::integer, "high"},
                       {"interval", option_kind::integer, "an integer here, a duration in alpha"}},
                      {}},
        true));
    return r;
  }();
  return instance;
}

std::filesystem::path data_dir() { return std::filesystem::path(EDGEPROBE_SOURCE_DIR) / "tests/data/suites"; }

load_result load_fake(std::string_view text, const std::filesystem::path& dir, std::map<std::string, std::string> vars) {
  load_options options{.probes = fake_registry()};
  options.vars = std::move(vars);
  return load_suite_text(text, "suite.json", dir.empty() ? data_dir() : dir, options);
}

load_result load_fake_file(const std::filesystem::path& path) {
  load_options options{.probes = fake_registry()};
  return load_suite_file(path, options);
}

std::string all_errors(const load_result& r) {
  std::string out;
  for (const auto& d : r.errors) out += d.to_string() + "\n";
  return out;
}

const diagnostic* error_at(const load_result& r, std::string_view pointer) {
  for (const auto& d : r.errors)
    if (d.pointer == pointer) return &d;
  return nullptr;
}

} // namespace edgeprobe::test
