#include "core/secrets.hpp"

#include "wire/display_forms.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace edgeprobe {

namespace {

// Where text was cut short, "..." follows what is left of it (escape_bytes'
// "...(N more bytes)", a SQL Browser record's `"...`); evidence values may
// also just end (a datagram shown up to 512 bytes, bytes read so far). A
// secret that straddled the cut survives there as a leading fragment.
bool cut_at(std::string_view text, std::size_t at, bool end_is_cut) {
  auto rest = text.substr(at);
  if (rest.empty()) return end_is_cut;
  if (rest.front() == '"') rest.remove_prefix(1);
  return rest.starts_with("...") || rest.starts_with("\u2026");
}

// The start of the longest leading fragment of `form`, at least
// min_secret_fragment long, that ends at text[end]; npos when there is none.
std::size_t fragment_before(std::string_view text, std::size_t end, std::string_view form) {
  for (std::size_t n = std::min(form.size() - 1, end); n >= min_secret_fragment; --n)
    if (text.substr(end - n, n) == form.substr(0, n)) return end - n;
  return std::string_view::npos;
}

// Stars out leading fragments of `form` wherever the text was cut.
void redact_cut_fragments(std::string& text, std::string_view form, bool end_is_cut) {
  if (form.size() <= min_secret_fragment) return; // whole occurrences are already gone
  for (std::size_t end = text.size() + 1; end-- > min_secret_fragment;) {
    if (!cut_at(text, end, end_is_cut)) continue;
    if (const auto start = fragment_before(text, end, form); start != std::string_view::npos) {
      text.replace(start, end - start, redacted);
      end = start + 1;
    }
  }
}

std::string redact_text(std::string_view text, const std::vector<std::string>& forms, bool end_is_cut) {
  std::string out(text);
  for (const auto& form : forms) {
    for (std::size_t pos = out.find(form); pos != std::string::npos; pos = out.find(form, pos + redacted.size()))
      out.replace(pos, form.size(), redacted);
  }
  for (const auto& form : forms) redact_cut_fragments(out, form, end_is_cut);
  return out;
}

} // namespace

void secret_set::add(std::string value) {
  if (value.empty() || std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  for (auto& form : display_forms(value))
    if (std::find(forms_.begin(), forms_.end(), form) == forms_.end()) forms_.push_back(std::move(form));
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  values_.push_back(std::move(value));
}

void secret_set::merge(const secret_set& other) {
  for (const auto& value : other.values_) add(value);
}

std::string secret_set::redact(std::string_view text) const { return redact_text(text, forms_, false); }

void secret_set::redact(nlohmann::json& doc) const {
  if (values_.empty()) return;
  if (doc.is_string()) {
    doc = redact_text(doc.get_ref<const std::string&>(), forms_, true);
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
