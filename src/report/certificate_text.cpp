#include "report/certificate_text.hpp"

#include "net/cert_facts.hpp"

#include <string>

namespace edgeprobe {

namespace {

std::string text(const nlohmann::json& cert, const char* key) {
  const auto it = cert.find(key);
  if (it == cert.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    std::string joined;
    for (const auto& item : *it) joined += (joined.empty() ? "" : ", ") + item.get<std::string>();
    return joined.empty() ? "(none)" : joined;
  }
  return it->dump();
}

std::string expiry(const nlohmann::json& cert) {
  const auto days = cert.value("days_left", std::int64_t{0});
  const std::string left = days < 0 ? "EXPIRED " + relative_days(days)
                                    : std::to_string(days) + (days == 1 ? " day left" : " days left");
  return text(cert, "not_after") + " (" + left + ")";
}

} // namespace

void write_certificates(const nlohmann::json& chain, std::size_t indent, std::ostream& out) {
  if (!chain.is_array() || chain.empty()) return;
  const std::string pad(indent, ' ');
  const auto& leaf = chain.front();
  out << pad << "certificate:\n";
  const std::pair<const char*, std::string> rows[] = {
      {"Issuer", text(leaf, "issuer")},
      {"Subject", text(leaf, "subject")},
      {"SANs", text(leaf, "sans")},
      {"Expires", expiry(leaf)},
      {"Serial", text(leaf, "serial")},
      {"Valid from", text(leaf, "not_before")},
      {"SHA-256", text(leaf, "sha256")},
      {"Key", text(leaf, "key") + ", signed " + text(leaf, "signature_algorithm")},
  };
  for (const auto& [name, value] : rows) {
    const std::string label = std::string(name) + ":";
    out << pad << "  " << label << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ') << value << '\n';
  }
  out << pad << "chain as sent: " << chain.size() << (chain.size() == 1 ? " certificate" : " certificates") << '\n';
  for (std::size_t i = 1; i < chain.size(); ++i) {
    const auto& c = chain[i];
    out << pad << "  [" << i << "] " << text(c, "subject") << '\n'
        << pad << "      issuer " << text(c, "issuer") << ", expires " << expiry(c) << ", serial " << text(c, "serial")
        << '\n';
  }
}

} // namespace edgeprobe
