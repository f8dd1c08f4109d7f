#include "probes/http/url.hpp"

#include "wire/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace edgeprobe {

namespace {

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// "host", "host:port", "[v6]", "[v6]:port" into `out`.
bool parse_authority(std::string_view authority, http_url& out) {
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    out.host = std::string(authority.substr(1, close - 1));
    if (out.host.empty() || out.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) return false;
    const auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (out.host.empty() || !std::all_of(out.host.begin(), out.host.end(), is_host_char)) return false;
  }
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) return false;
    out.port = static_cast<std::uint16_t>(value);
  }
  out.host = lower_ascii(out.host);
  return true;
}

bool has_control_or_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7F; });
}

// RFC 3986 5.2.4: remove "." and ".." segments.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t at = 1; // after the leading '/'
  while (at <= path.size()) {
    const auto next = std::min(path.find('/', at), path.size());
    const auto segment = path.substr(at, next - at);
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      if (next == path.size()) out.emplace_back();
    } else if (segment == ".") {
      if (next == path.size()) out.emplace_back();
    } else {
      out.push_back(segment);
    }
    at = next + 1;
  }
  std::string joined;
  for (const auto s : out) joined += "/" + std::string(s);
  return joined.empty() ? "/" : joined;
}

// A target "path?query" with its dot segments removed (the query untouched).
std::string normalize_target(std::string_view target) {
  const auto query = target.find('?');
  return remove_dot_segments(target.substr(0, query)) +
         std::string(query == std::string_view::npos ? "" : target.substr(query));
}

} // namespace

std::string http_url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  const std::string h = v6 ? "[" + host + "]" : host;
  return port == (tls ? 443 : 80) ? h : h + ":" + std::to_string(port);
}

std::string http_url::text() const { return std::string(tls ? "https://" : "http://") + authority() + target; }

std::optional<http_url> parse_http_url(std::string_view text) {
  http_url url;
  // The scheme in lower case only, as the target parser (core/target_parse)
  // decides TLS and the default port: an upper-case scheme is no http URL.
  if (text.starts_with("https://")) text.remove_prefix(8);
  else if (text.starts_with("http://")) {
    text.remove_prefix(7);
    url.tls = false;
    url.port = 80;
  } else return std::nullopt;
  text = text.substr(0, text.find('#'));
  if (has_control_or_space(text)) return std::nullopt;
  const auto slash = text.find_first_of("/?");
  if (!parse_authority(text.substr(0, slash), url)) return std::nullopt;
  if (slash != std::string_view::npos) {
    const auto target = text.substr(slash);
    url.target = target.front() == '?' ? "/" + std::string(target) : normalize_target(target);
  }
  return url;
}

std::optional<http_url> resolve_location(const http_url& base, std::string_view location) {
  location = location.substr(0, location.find('#'));
  if (location.empty() || has_control_or_space(location)) return std::nullopt;
  if (location.starts_with("http://") || location.starts_with("https://"))
    return parse_http_url(location);
  if (location.starts_with("//")) return parse_http_url(std::string(base.tls ? "https:" : "http:") + std::string(location));
  if (location.find(':') < location.find_first_of("/?")) return std::nullopt; // another scheme (mailto:, ftp:)
  http_url out = base;
  if (location.front() == '/') {
    out.target = normalize_target(location);
  } else if (location.front() == '?') {
    out.target = base.target.substr(0, base.target.find('?')) + std::string(location);
  } else {
    const auto path = base.target.substr(0, base.target.find('?'));
    out.target = normalize_target(path.substr(0, path.rfind('/') + 1) + std::string(location));
  }
  return out;
}

} // namespace edgeprobe
