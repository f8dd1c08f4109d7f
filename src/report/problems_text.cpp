#include "report/problems_text.hpp"

#include "wire/ascii.hpp"

#include <string>

namespace edgeprobe {

namespace {

std::string text_of(const nlohmann::json& entry, const char* key) {
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_string()) return "";
  std::string text = it->get<std::string>();
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = ' '; // a message from the network stays on its line
  return text;
}

} // namespace

void write_problems_text(const nlohmann::json& problems, std::size_t indent, std::ostream& out) {
  if (!problems.is_array() || problems.empty()) return;
  const std::string pad(indent, ' ');
  out << pad << "problems, in the order found:\n";
  for (const auto& p : problems) {
    if (!p.is_object()) continue;
    std::string state = upper_ascii(text_of(p, "status"));
    state.resize(5, ' '); // the width of the check lines' labels
    out << pad << "  " << state << " " << text_of(p, "reason");
    if (const auto address = text_of(p, "address"); !address.empty()) out << "  at " << address;
    out << '\n';
    if (const auto message = text_of(p, "message"); !message.empty()) out << pad << "        " << message << '\n';
  }
}

} // namespace edgeprobe
