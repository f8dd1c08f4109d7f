// A check as the runner sees it: everything from the suite, validated and expanded.
#pragma once
#include "core/duration.hpp"
#include "core/secrets.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace edgeprobe {

class probe;

// A probe's parsed, typed configuration (each probe derives its own).
struct probe_config {
  virtual ~probe_config() = default;
};

enum class address_mode { all, any, first };
enum class address_family { any, ipv4, ipv6 };

struct resolver_spec {
  std::string server = "system"; // "system", "10.0.0.53", "10.0.0.53:5353", "[fd00::53]:53"
  bool tcp = false;               // the dns probe's `transport: tcp`
  bool recursion = true;
  bool operator==(const resolver_spec&) const = default;
};

// The target split the way the probe asked for (see probe::target_rules).
struct target_spec {
  std::string text;       // as written (after variable expansion)
  std::string host;       // name or IP literal, without brackets; for URLs the URL's host
  std::uint16_t port = 0; // 0 when the probe takes no port
};

struct check_spec {
  std::string name;
  std::string description;
  const probe* prober = nullptr; // the registered probe that runs this check
  target_spec target;
  std::vector<std::string> tags;
  std::vector<std::string> needs;
  duration timeout = std::chrono::seconds(5);
  int retries = 0;
  address_mode addresses = address_mode::all;
  address_family family = address_family::any;
  resolver_spec resolver;
  nlohmann::json options = nlohmann::json::object(); // the probe's own keys, "expect" included
  std::shared_ptr<const probe_config> config;         // what the probe built from `options`
  std::string pointer;                                // "/checks/3", for messages
};

struct suite {
  std::string name;
  std::string description;
  std::string file;
  std::vector<check_spec> checks;
  secret_set secrets; // every secret value the suite expanded, for redaction
  std::vector<std::string> variables; // names its files' `vars` define
};

} // namespace edgeprobe
