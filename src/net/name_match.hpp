// Does a certificate cover a name? The rules a browser applies (RFC 6125 as the
// CA/Browser Forum and Chromium use it), so a pass here means clients connect:
//  - only the subjectAltName counts; a certificate without one covers nothing
//    (the commonName is ignored, as browsers have done since 2017);
//  - DNS names compare case-insensitively, a trailing dot ignored;
//  - a wildcard is a whole leftmost label "*." and stands for exactly one
//    non-empty label ("*.contoso.com" covers meet.contoso.com, not
//    contoso.com, not a.b.contoso.com); partial wildcards ("m*.contoso.com")
//    and wildcards with fewer than two labels after them ("*.com") match nothing;
//  - an IP address matches only an iPAddress entry, never a DNS name or wildcard.
// Pure functions, fuzzed (tests/fuzz/name_match.cpp).
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace edgeprobe {

// One dNSName entry against a host name (not an IP address).
bool dns_name_matches(std::string_view pattern, std::string_view host);

// `name` (a DNS name or an IP address literal) against a certificate's SANs.
bool name_covered(std::string_view name, std::span<const std::string> dns_names,
                  std::span<const std::string> ip_addresses);

// For `expect.san_includes`: a name written with a wildcard ("*.contoso.com")
// must be in the certificate as that wildcard; any other name must be covered.
bool san_includes(std::string_view wanted, std::span<const std::string> dns_names,
                  std::span<const std::string> ip_addresses);

} // namespace edgeprobe
