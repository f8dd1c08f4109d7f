#include "report/evidence_text.hpp"

#include <string>

namespace edgeprobe {

namespace {

constexpr std::size_t max_value = 160; // a terminal line, not a hex dump

std::string scalar(const nlohmann::json& value) {
  std::string text = value.is_string() ? value.get<std::string>()
                                       : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = ' '; // keep one line per value
  if (text.size() > max_value) text = text.substr(0, max_value) + "…";
  return text;
}

bool all_scalars(const nlohmann::json& array) {
  for (const auto& item : array)
    if (item.is_structured()) return false;
  return true;
}

} // namespace

void write_evidence(const nlohmann::json& details, std::size_t indent, std::ostream& out) {
  if (!details.is_object()) return;
  const std::string pad(indent, ' ');
  for (const auto& [key, value] : details.items()) {
    if (value.is_object()) {
      out << pad << key << ":\n";
      write_evidence(value, indent + 2, out);
    } else if (value.is_array() && !all_scalars(value)) {
      out << pad << key << ":\n";
      for (const auto& item : value) {
        if (item.is_object()) {
          out << pad << "  -\n";
          write_evidence(item, indent + 4, out);
        } else {
          out << pad << "  - " << scalar(item) << '\n';
        }
      }
    } else if (value.is_array()) {
      std::string joined;
      for (const auto& item : value) joined += (joined.empty() ? "" : ", ") + scalar(item);
      out << pad << key << ": " << joined << '\n';
    } else {
      out << pad << key << ": " << scalar(value) << '\n';
    }
  }
}

} // namespace edgeprobe
