// http(s) URLs as the http probe needs them: scheme, host, port and the
// request target, and a redirect's Location resolved against the URL it came
// from (RFC 3986 section 5.2, for the forms servers send). Pure; no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

struct http_url {
  bool tls = true;               // https
  std::string host;              // without brackets for IPv6
  std::uint16_t port = 443;
  std::string target = "/";      // path and query, never empty

  std::string authority() const; // "host", "host:8443", "[::1]:8443" (the port only when not the default)
  std::string text() const;      // "https://host:8443/path?q"
};

// Absolute http:// or https:// URLs only; nullopt for anything else (a
// fragment is dropped, userinfo is refused: credentials go in options).
std::optional<http_url> parse_http_url(std::string_view text);

// A Location header against the URL that answered: absolute, scheme-relative
// ("//host/x"), absolute-path ("/x") or relative ("x", "../x").
std::optional<http_url> resolve_location(const http_url& base, std::string_view location);

} // namespace edgeprobe
