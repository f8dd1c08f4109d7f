// Certificate name matching as browsers do it: the cases that decide whether
// Lync/Teams clients, browsers and curl accept a certificate.
#include "net/name_match.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;

TEST_SUITE("tls") {

TEST_CASE("name match: exact names compare case-insensitively, a trailing dot ignored") {
  CHECK(dns_name_matches("sip.contoso.com", "sip.contoso.com"));
  CHECK(dns_name_matches("SIP.Contoso.COM", "sip.contoso.com"));
  CHECK(dns_name_matches("sip.contoso.com.", "sip.contoso.com"));
  CHECK(dns_name_matches("sip.contoso.com", "sip.contoso.com."));
  CHECK_FALSE(dns_name_matches("sip.contoso.com", "sip.contoso.co"));
  CHECK_FALSE(dns_name_matches("sip.contoso.com", "xsip.contoso.com"));
  CHECK_FALSE(dns_name_matches("", ""));
  CHECK_FALSE(dns_name_matches("sip.contoso.com", ""));
}

TEST_CASE("name match: a wildcard stands for exactly one non-empty leftmost label") {
  CHECK(dns_name_matches("*.contoso.com", "meet.contoso.com"));
  CHECK(dns_name_matches("*.contoso.com", "LyncDiscover.Contoso.com"));
  CHECK_FALSE(dns_name_matches("*.contoso.com", "contoso.com"));
  CHECK_FALSE(dns_name_matches("*.contoso.com", "a.b.contoso.com"));
  CHECK_FALSE(dns_name_matches("*.contoso.com", ".contoso.com"));
  CHECK_FALSE(dns_name_matches("*.contoso.com", "meet.contoso.org"));
}

TEST_CASE("name match: partial, inner and too-broad wildcards match nothing") {
  CHECK_FALSE(dns_name_matches("m*.contoso.com", "meet.contoso.com"));
  CHECK_FALSE(dns_name_matches("*eet.contoso.com", "meet.contoso.com"));
  CHECK_FALSE(dns_name_matches("meet.*.com", "meet.contoso.com"));
  CHECK_FALSE(dns_name_matches("*.*.com", "a.contoso.com"));
  CHECK_FALSE(dns_name_matches("*.com", "contoso.com"));
  CHECK_FALSE(dns_name_matches("*", "contoso"));
  CHECK_FALSE(dns_name_matches("*.", "contoso."));
  CHECK_FALSE(dns_name_matches("*..com", "a..com"));
  // A host name never contains a wildcard itself.
  CHECK_FALSE(dns_name_matches("*.contoso.com", "*.contoso.com"));
}

TEST_CASE("name match: an embedded NUL never matches (the old CVE-2009-2408 trick)") {
  const std::string pattern("www.bank.com\0.evil.com", 22);
  CHECK_FALSE(dns_name_matches(pattern, "www.bank.com"));
  CHECK_FALSE(dns_name_matches(pattern, pattern));
}

TEST_CASE("name covered: IP addresses match iPAddress entries only, in any spelling") {
  const std::vector<std::string> dns{"127.0.0.1", "*.contoso.com", "sip.contoso.com"};
  const std::vector<std::string> ips{"192.0.2.10", "2001:db8::1"};
  CHECK(name_covered("192.0.2.10", dns, ips));
  CHECK(name_covered("2001:DB8:0:0::1", dns, ips));
  CHECK_FALSE(name_covered("127.0.0.1", dns, ips)); // a DNS SAN spelled like an address does not count
  CHECK_FALSE(name_covered("192.0.2.11", dns, ips));
  CHECK(name_covered("sip.contoso.com", dns, ips));
  CHECK(name_covered("meet.contoso.com", dns, ips));
  CHECK_FALSE(name_covered("contoso.com", dns, ips));
  CHECK_FALSE(name_covered("sip.contoso.com", {}, {}));
}

TEST_CASE("san_includes: a wildcard expected must be that wildcard, a name may be covered by one") {
  const std::vector<std::string> dns{"*.contoso.com", "contoso.com"};
  const std::vector<std::string> ips{"192.0.2.10"};
  CHECK(san_includes("*.contoso.com", dns, ips));
  CHECK(san_includes("*.CONTOSO.com", dns, ips));
  CHECK(san_includes("meet.contoso.com", dns, ips));
  CHECK(san_includes("contoso.com", dns, ips));
  CHECK(san_includes("192.0.2.10", dns, ips));
  const std::vector<std::string> names_only{"meet.contoso.com", "dialin.contoso.com"};
  CHECK_FALSE(san_includes("*.contoso.com", names_only, ips));
  CHECK_FALSE(san_includes("lyncdiscover.contoso.com", names_only, ips));
}

} // TEST_SUITE
