// Secret values (from ${env:…}, ${file:…} and any `password` option) and their
// redaction. Every string leaving the program passes through redact().
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace edgeprobe {

inline constexpr std::string_view redacted = "***";

// The shortest leading fragment of a secret that redaction removes where a
// text was cut (see secret_set::redact): shorter ones are too common in
// ordinary text to star out, and give away little.
inline constexpr std::size_t min_secret_fragment = 4;

class secret_set {
public:
  void add(std::string value);
  void merge(const secret_set& other);
  bool empty() const { return values_.empty(); }
  // Replaces every occurrence of every secret with "***": the secret as is,
  // and in every form the program shows bytes in (wire/display_forms.hpp), so
  // an echo escaped for display is caught too. Where the text was cut (a
  // "..." follows), a leading fragment of a secret of at least
  // min_secret_fragment bytes, in any of those forms, goes as well.
  std::string redact(std::string_view text) const;
  // Redacts every string (keys and values) inside a JSON document, in place.
  // The document is evidence, whose values may end where a probe stopped
  // reading or showing, so the end of each string counts as a cut too.
  void redact(nlohmann::json& doc) const;

private:
  std::vector<std::string> values_; // as the suite gave them, for merge()
  std::vector<std::string> forms_;  // every form of every value, longest first, so a secret containing another is cut whole
};

} // namespace edgeprobe
