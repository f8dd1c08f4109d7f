// Evidence a probe keeps as its own struct instead of JSON objects. A TCP
// connect's facts (addresses, timings, TCP_INFO) are two dozen values per
// check; as nlohmann objects they were a node allocation each, built, walked
// and freed once per check, and a third of a 10,000-check run's memory. The
// JSON report writes a part straight from its struct; every other reader sees
// it added to the verdict's details (materialize_evidence), with the same keys
// and values.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <string_view>

namespace edgeprobe {

class json_stream;

class evidence_part {
public:
  virtual ~evidence_part() = default;

  // Adds the members to `details` (an object), replacing any of the same key.
  virtual void add_to(nlohmann::json& details) const = 0;

  // Writes the members as members of the object `out` is in, in key order
  // (nlohmann's), calling `before(key)` ahead of each so that the caller can
  // write its own members that sort earlier.
  virtual void write(json_stream& out, const std::function<void(std::string_view key)>& before) const = 0;
};

} // namespace edgeprobe
