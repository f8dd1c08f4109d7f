// Test helper: check and address results built by hand, for the reporters'
// tests (every format is fed the same kinds of hostile runs).
#pragma once
#include "core/result.hpp"

#include <string>

namespace edgeprobe::test {

inline check_result make_check(std::string name, std::string probe, status state, reason why, std::string message) {
  check_result c;
  c.name = std::move(name);
  c.probe = std::move(probe);
  c.target = "sip.contoso.com:5061";
  c.attempts = 1;
  c.duration_ms = 54.2;
  c.outcome.state = state;
  c.outcome.why = why;
  c.outcome.message = std::move(message);
  return c;
}

inline address_result make_address(std::string address, status state, reason why, std::string message) {
  address_result a;
  a.address = std::move(address);
  a.port = 5061;
  a.outcome.state = state;
  a.outcome.why = why;
  a.outcome.message = std::move(message);
  return a;
}

} // namespace edgeprobe::test
