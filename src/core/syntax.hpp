// The textual grammars of suite values (hosts, ports, addresses, targets,
// resolvers, durations, names) as regular expressions. The loader matches values
// against them and the JSON Schema embeds the same strings, so the two cannot
// drift apart. Every pattern is written for full-string matching and uses only
// syntax that ECMAScript (std::regex, JSON Schema) and Python's `re` read alike.
#pragma once
#include "core/probe.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe::syntax {

std::string ipv4();
std::string ipv6();
std::string host_name();   // a DNS name (labels of letters, digits, '_' and '-'), trailing dot allowed
std::string port();        // 1..65535, no leading zeros
std::string port_range();  // "2280-2290" or "443"
std::string duration();    // "250ms", "1.5s", "2m", "1h" (the range is checked by parse_duration)
std::string positive_duration();
std::string suite_name();
std::string var_name();
std::string hex_bytes();
std::string ip_address();  // ipv4 | ipv6
std::string resolver();    // "system", IPv4[:port], [IPv6][:port], bare IPv6
std::string target(const target_rules& rules);

// Longer values are rejected outright: std::regex backtracks recursively, and no
// host, port or URL a suite names comes near this.
inline constexpr std::size_t max_length = 4096;

// Full-string match of `text` against one of the patterns above.
bool matches(const std::string& pattern, std::string_view text);

// `pattern` anchored for a JSON Schema "pattern" keyword, which searches rather
// than matches. The lookahead stops Python's `$` from matching before a final "\n".
std::string anchored(const std::string& pattern);

} // namespace edgeprobe::syntax
