// The tls check the tls probe tests run (5 s, trusting the test PKI's root),
// and the test PKI they share.
#pragma once
#include "support/check_runner.hpp"
#include "support/test_pki.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace edgeprobe::test {

// One PKI for the whole test run: its temp dir goes when the program ends.
inline const test_pki& shared_pki() {
  static const test_pki pki;
  return pki;
}

inline nlohmann::json tls_check(const std::string& target, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json check = {
      {"probe", "tls"}, {"target", target}, {"timeout", "5s"}, {"ca_file", shared_pki().root().string()}};
  check.update(extra);
  return check;
}

// The reason codes of the evidence's "problems", in order.
inline std::vector<std::string> problem_reasons(const nlohmann::json& details) {
  std::vector<std::string> out;
  for (const auto& p : details.value("problems", nlohmann::json::array())) out.push_back(p["reason"]);
  return out;
}

} // namespace edgeprobe::test
