// parse_http_url and resolve_location: the URLs the http probe is given and the
// Location headers servers send (RFC 3986 5.2 and 5.4's examples).
#include "probes/http/url.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

TEST_SUITE("http") {

TEST_CASE("parse_http_url: scheme, host, port, target, what it refuses") {
  auto u = parse_http_url("https://Mail.Contoso.com/EWS/Exchange.asmx?x=1#frag");
  REQUIRE(u);
  CHECK(u->tls);
  CHECK(u->host == "mail.contoso.com");
  CHECK(u->port == 443);
  CHECK(u->target == "/EWS/Exchange.asmx?x=1");
  CHECK(u->text() == "https://mail.contoso.com/EWS/Exchange.asmx?x=1");
  u = parse_http_url("http://[::1]:8080");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 8080);
  CHECK(u->target == "/");
  CHECK(u->authority() == "[::1]:8080");
  CHECK(parse_http_url("http://a/b/../c/./d")->target == "/c/d");
  for (const char* bad : {"ftp://a/", "https://", "https://user:pw@host/", "https://host:0/", "https://host:65536/",
                          "https://ho st/", "https://host/a b", "//host/", "https://[::1/"})
    CHECK_MESSAGE(!parse_http_url(bad), bad);
}

TEST_CASE("resolve_location: RFC 3986 5.4.1 examples against the RFC's base URI") {
  const auto base = *parse_http_url("http://a/b/c/d;p?q");
  const std::pair<const char*, const char*> cases[] = {
      {"g", "http://a/b/c/g"},         {"./g", "http://a/b/c/g"},        {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},            {"//g", "http://g/"},             {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},     {"g#s", "http://a/b/c/g"},        {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},        {"../..", "http://a/"},           {"../../g", "http://a/g"},
      {"https://b:8443/x", "https://b:8443/x"}};
  for (const auto& [location, expected] : cases) {
    const auto got = resolve_location(base, location);
    REQUIRE_MESSAGE(got, location);
    CHECK_MESSAGE(got->text() == expected, location);
  }
  CHECK_FALSE(resolve_location(base, "mailto:x@y"));
  CHECK_FALSE(resolve_location(base, ""));
  CHECK_FALSE(resolve_location(base, "/a\r\nSet-Cookie: x"));
}

} // TEST_SUITE
