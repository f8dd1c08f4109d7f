// Test helper: the fault lab of tests/lab/fault_lab.sh — namespaces client,
// router, server and ports joined by veth pairs (10.66.0.0/16), with unbound,
// nginx, coturn, samba-dcerpcd and edgeprobe's responders inside, and nftables
// faults on the router and the server. Built by the constructor (the script's
// `up`), torn down by the destructor (`down`), even when a check fails.
#pragma once
#include "support/process.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace edgeprobe::test {

// The script, in the source tree.
std::filesystem::path fault_lab_script();

// `bash fault_lab.sh ARGS...` with EDGEPROBE pointing at the build's binary.
process_output fault_lab_command(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

class fault_lab {
public:
  fault_lab();  // REQUIREs that `up` succeeds (its log is in the failure message)
  ~fault_lab(); // `down`; never throws
  fault_lab(const fault_lab&) = delete;
  fault_lab& operator=(const fault_lab&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::string ns(const std::string& role) const; // "client", "router", "server", "ports"
  std::filesystem::path pki() const { return dir_ / "pki"; }

  // Reloads every nftables fault (counters and the first-SYN-lost rule reset).
  void reload_faults() const;

  // `edgeprobe run SUITES... --var pki=... --format json` inside ROLE's namespace;
  // the JSON document. REQUIREs that it parses (exit code 0 or 1).
  nlohmann::json run(const std::string& role, const std::vector<std::filesystem::path>& suites) const;

private:
  std::filesystem::path dir_;
};

} // namespace edgeprobe::test
