#include "core/secrets.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace edgeprobe {

void secret_set::add(std::string value) {
  if (value.empty() || std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  values_.push_back(std::move(value));
  std::stable_sort(values_.begin(), values_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void secret_set::merge(const secret_set& other) {
  for (const auto& value : other.values_) add(value);
}

std::string secret_set::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : values_) {
    for (std::size_t pos = out.find(secret); pos != std::string::npos;
         pos = out.find(secret, pos + redacted.size()))
      out.replace(pos, secret.size(), redacted);
  }
  return out;
}

void secret_set::redact(nlohmann::json& doc) const {
  if (values_.empty()) return;
  if (doc.is_string()) {
    doc = redact(doc.get_ref<const std::string&>());
  } else if (doc.is_array()) {
    for (auto& item : doc) redact(item);
  } else if (doc.is_object()) {
    nlohmann::json cleaned = nlohmann::json::object();
    for (auto& [key, value] : doc.items()) {
      redact(value);
      cleaned[redact(key)] = std::move(value);
    }
    doc = std::move(cleaned);
  }
}

} // namespace edgeprobe
