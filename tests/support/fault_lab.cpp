#include "support/fault_lab.hpp"

#include <doctest/doctest.h>

#include <stdlib.h>

#include <fstream>
#include <iterator>

namespace edgeprobe::test {

std::filesystem::path fault_lab_script() {
  return std::filesystem::path(EDGEPROBE_SOURCE_DIR) / "tests" / "lab" / "fault_lab.sh";
}

process_output fault_lab_command(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv{"env", std::string("EDGEPROBE=") + EDGEPROBE_BINARY};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {"bash", fault_lab_script().string()});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, std::chrono::seconds(120));
}

fault_lab::fault_lab() {
  char pattern[] = "/tmp/edgeprobe-fault-lab-XXXXXX";
  REQUIRE(::mkdtemp(pattern));
  dir_ = pattern;
  const auto up = fault_lab_command({"up", dir_.string()});
  // A failed `up` has already torn down what it built, and removed the directory.
  REQUIRE_MESSAGE(up.exit_code == 0, "fault_lab.sh up failed:\n" << up.out << up.err);
}

fault_lab::~fault_lab() { (void)fault_lab_command({"down", dir_.string()}); }

std::string fault_lab::ns(const std::string& role) const {
  std::ifstream in(dir_ / "id");
  std::string id;
  in >> id;
  return "fl" + id + "-" + role;
}

void fault_lab::reload_faults() const {
  const auto r = fault_lab_command({"faults", dir_.string()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
}

nlohmann::json fault_lab::run(const std::string& role, const std::vector<std::filesystem::path>& suites) const {
  std::vector<std::string> argv{"ip", "netns", "exec", ns(role), EDGEPROBE_BINARY, "run"};
  bool uses_pki = false; // a --var no suite defines is an error
  for (const auto& s : suites) {
    argv.push_back(s.string());
    std::ifstream in(s);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    uses_pki = uses_pki || text.find("\"pki\"") != std::string::npos;
  }
  if (uses_pki) argv.insert(argv.end(), {"--var", "pki=" + pki().string()});
  argv.insert(argv.end(), {"--format", "json"});
  const auto r = run_process(argv, std::chrono::seconds(60));
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return nlohmann::json::parse(r.out);
}

} // namespace edgeprobe::test
