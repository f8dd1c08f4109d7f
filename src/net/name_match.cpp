#include "net/name_match.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <optional>

namespace edgeprobe {

namespace {

std::string normalized(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c); });
  return out;
}

bool equal_names(std::string_view a, std::string_view b) { return !a.empty() && normalized(a) == normalized(b); }

std::optional<boost::asio::ip::address> ip_literal(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return a;
}

} // namespace

bool dns_name_matches(std::string_view pattern_in, std::string_view host_in) {
  const std::string pattern = normalized(pattern_in);
  const std::string host = normalized(host_in);
  if (pattern.empty() || host.empty() || host.find('*') != std::string::npos) return false;
  if (pattern.find('\0') != std::string::npos || host.find('\0') != std::string::npos) return false;
  if (pattern.find('*') == std::string::npos) return pattern == host;

  // A wildcard: "*." then at least two labels, and no other '*'.
  if (pattern.size() < 2 || pattern[0] != '*' || pattern[1] != '.') return false;
  const std::string_view rest = std::string_view(pattern).substr(2);
  if (rest.find('*') != std::string_view::npos || rest.find('.') == std::string_view::npos) return false;
  if (rest.front() == '.' || rest.back() == '.' || rest.find("..") != std::string_view::npos) return false;
  // The host is one non-empty label followed by exactly `rest`.
  const auto dot = host.find('.');
  if (dot == 0 || dot == std::string::npos) return false;
  return std::string_view(host).substr(dot + 1) == rest;
}

bool name_covered(std::string_view name, std::span<const std::string> dns_names,
                  std::span<const std::string> ip_addresses) {
  if (const auto ip = ip_literal(name)) {
    return std::any_of(ip_addresses.begin(), ip_addresses.end(), [&](const std::string& entry) {
      const auto other = ip_literal(entry);
      return other && *other == *ip;
    });
  }
  return std::any_of(dns_names.begin(), dns_names.end(),
                     [&](const std::string& pattern) { return dns_name_matches(pattern, name); });
}

bool san_includes(std::string_view wanted, std::span<const std::string> dns_names,
                  std::span<const std::string> ip_addresses) {
  if (wanted.find('*') != std::string_view::npos)
    return std::any_of(dns_names.begin(), dns_names.end(),
                       [&](const std::string& entry) { return equal_names(entry, wanted); });
  return name_covered(wanted, dns_names, ip_addresses);
}

} // namespace edgeprobe
