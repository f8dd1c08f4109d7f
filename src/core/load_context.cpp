#include "core/load_context.hpp"

#include "core/json_text.hpp"

#include <algorithm>
#include <tuple>

namespace edgeprobe {

bool suite_file::expansion_failed(const std::string& pointer) const {
  if (unexpanded.count(pointer)) return true;
  const std::string inside = pointer + "/";
  auto it = unexpanded.lower_bound(inside);
  return it != unexpanded.end() && it->starts_with(inside);
}

bool load_context::full() {
  if (errors_.size() < max_errors) return false;
  ++dropped_;
  return true;
}

void load_context::error(std::size_t file, const std::string& pointer, std::string message, std::string suggestion,
                         bool at_key) {
  if (full()) return;
  const auto& f = files.at(file);
  diagnostic d{f.label, pointer, 0, 0, std::move(message), std::move(suggestion)};
  if (auto at = f.locator.find(pointer, at_key)) {
    d.line = at->line;
    d.column = at->column;
  }
  errors_.push_back({file, std::move(d)});
}

void load_context::error(const std::string& label, std::string pointer, text_position at, std::string message,
                         std::string suggestion) {
  if (full()) return;
  errors_.push_back(
      {files.size(), diagnostic{label, std::move(pointer), at.line, at.column, std::move(message), std::move(suggestion)}});
}

std::vector<diagnostic> load_context::take_errors() {
  // Stable: errors at the same place keep the order they were found in.
  std::stable_sort(errors_.begin(), errors_.end(), [](const entry& a, const entry& b) {
    return std::tie(a.order, a.d.line, a.d.column) < std::tie(b.order, b.d.line, b.d.column);
  });
  std::vector<diagnostic> out;
  for (auto& e : errors_) {
    e.d.message = secrets.redact(e.d.message);
    e.d.suggestion = secrets.redact(e.d.suggestion);
    // A default that is wrong for several checks is one mistake, reported once.
    const bool seen = std::any_of(out.begin(), out.end(), [&](const diagnostic& d) {
      return std::tie(d.file, d.pointer, d.message, d.suggestion) ==
             std::tie(e.d.file, e.d.pointer, e.d.message, e.d.suggestion);
    });
    if (!seen) out.push_back(std::move(e.d));
  }
  if (dropped_ > 0)
    out.push_back({files.empty() ? std::string() : files.front().label, "", 0, 0,
                   "and " + std::to_string(dropped_) + " more problems, not listed (only the first " +
                       std::to_string(max_errors) + " are)",
                   "fix these and validate again"});
  errors_.clear();
  dropped_ = 0;
  return out;
}

bool load_context::holds_secret(const nlohmann::json& value) const {
  if (secrets.empty()) return false;
  nlohmann::json redacted_copy = value;
  secrets.redact(redacted_copy);
  return redacted_copy != value;
}

const nlohmann::json& load_context::raw_at(std::size_t file, const std::string& pointer) const {
  static const nlohmann::json null;
  const auto& f = files.at(file);
  if (!f.raw) {
    f.raw.emplace();
    parse_json_text(f.locator.text(), *f.raw); // parsed once already, so it parses again
  }
  const auto& raw = *f.raw;
  try {
    const nlohmann::json::json_pointer p(pointer);
    return raw.contains(p) ? raw.at(p) : null;
  } catch (const nlohmann::json::exception&) {
    return null;
  }
}

} // namespace edgeprobe
