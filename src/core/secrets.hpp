// Secret values (from ${env:…}, ${file:…} and any `password` option) and their
// redaction. Every string leaving the program passes through redact().
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace edgeprobe {

inline constexpr std::string_view redacted = "***";

class secret_set {
public:
  void add(std::string value);
  void merge(const secret_set& other);
  bool empty() const { return values_.empty(); }
  // Replaces every occurrence of every secret with "***".
  std::string redact(std::string_view text) const;
  // Redacts every string (keys and values) inside a JSON document, in place.
  void redact(nlohmann::json& doc) const;

private:
  std::vector<std::string> values_; // longest first, so a secret containing another is cut whole
};

} // namespace edgeprobe
