#include "core/syntax.hpp"

#include <map>
#include <mutex>
#include <regex>

namespace edgeprobe::syntax {

namespace {

std::string group(const std::string& p) { return "(?:" + p + ")"; }

const std::string h16 = "[0-9A-Fa-f]{1,4}";

// "(h16:){0,n}h16", the optional run of groups before "::" in RFC 3986.
std::string head(int n) {
  return group(group(h16 + ":") + "{0," + std::to_string(n) + "}" + h16) + "?";
}

} // namespace

std::string ipv4() {
  const std::string octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  return octet + group("\\." + octet) + "{3}";
}

std::string ipv6() {
  // RFC 3986 section 3.2.2, alternative by alternative.
  const std::string g = group(h16 + ":");
  const std::string ls32 = group(h16 + ":" + h16 + "|" + ipv4());
  const std::string alternatives[] = {
      g + "{6}" + ls32,
      "::" + g + "{5}" + ls32,
      group(h16) + "?::" + g + "{4}" + ls32,
      head(1) + "::" + g + "{3}" + ls32,
      head(2) + "::" + g + "{2}" + ls32,
      head(3) + "::" + h16 + ":" + ls32,
      head(4) + "::" + ls32,
      head(5) + "::" + h16,
      head(6) + "::",
  };
  std::string out;
  for (const auto& a : alternatives) out += (out.empty() ? "" : "|") + a;
  return group(out);
}

std::string host_name() {
  const std::string label = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
  return label + group("\\." + label) + "*\\.?";
}

std::string port() {
  return "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
}

std::string port_range() { return port() + group("-" + port()) + "?"; }

std::string duration() { return "[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h)"; }

std::string positive_duration() { return "(?=[0-9.]*[1-9])" + duration(); }

std::string suite_name() { return "[A-Za-z0-9._-]+"; }

std::string var_name() { return "[A-Za-z0-9_.-]+"; }

// Two digits per byte; whitespace or colons may separate bytes (decode_hex).
std::string hex_bytes() { return "[\\s:]*(?:[0-9A-Fa-f]{2}[\\s:]*)*"; }

std::string ip_address() { return group(ipv4() + "|" + ipv6()); }

std::string resolver() {
  return group("system|" + ipv4() + group(":" + port()) + "?|\\[" + ipv6() + "\\]" + group(":" + port()) +
               "?|" + ipv6());
}

std::string target(const target_rules& rules) {
  const std::string bracketed = "\\[" + ipv6() + "\\]";
  switch (rules.shape) {
  case target_rules::form::name:
    return group(host_name() + "|" + ipv6());
  case target_rules::form::url:
    return "https?://" + group(host_name() + "|" + bracketed) + group(":" + port()) + "?" +
           group("[/?#][!-~]*") + "?";
  case target_rules::form::host_port:
    break;
  }
  const std::string port_part = group(":" + port()) + (rules.default_port != 0 ? "?" : "");
  return group(host_name() + "|" + bracketed) + port_part;
}

bool matches(const std::string& pattern, std::string_view text) {
  if (text.size() > max_length) return false;
  // Compiling a std::regex costs far more than matching; suites reuse a handful of patterns.
  static std::mutex mutex;
  static std::map<std::string, std::regex> cache;
  const std::regex* re = nullptr;
  {
    std::lock_guard lock(mutex);
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    re = &it->second;
  }
  return std::regex_match(text.begin(), text.end(), *re);
}

std::string anchored(const std::string& pattern) { return "^" + group(pattern) + "$(?![\\s\\S])"; }

} // namespace edgeprobe::syntax
