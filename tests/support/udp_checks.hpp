// The udp check the udp probe tests send (4 bytes, "ping", 1 s).
#pragma once
#include "support/check_runner.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace edgeprobe::test {

inline nlohmann::json udp_check(const std::string& target, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json check = {{"probe", "udp"}, {"target", target}, {"timeout", "1s"}, {"send", {{"text", "ping"}}}};
  check.update(extra);
  return check;
}

} // namespace edgeprobe::test
