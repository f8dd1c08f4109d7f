// The textual grammars of suite values (hosts, ports, addresses, targets,
// resolvers, durations, names) as regular expressions. The loader matches values
// against them and the JSON Schema embeds the same strings, so the two cannot
// drift apart. Every pattern is written for full-string matching and uses only
// syntax that ECMAScript (JSON Schema), Perl (Boost.Regex, which the loader
// uses) and Python's `re` read alike. Each pattern is built once and kept.
#pragma once
#include "core/probe.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace edgeprobe::syntax {

// A grammar's text (for the schema) and its compiled form (for the loader),
// opaque here so that only syntax.cpp includes <boost/regex.hpp>.
struct pattern {
  struct compiled_form;
  std::string text;
  std::shared_ptr<const compiled_form> compiled;
};

const pattern& ipv4();
const pattern& ipv6();
const pattern& host_name();   // a DNS name (labels of letters, digits, '_' and '-'), trailing dot allowed
const pattern& port();        // 1..65535, no leading zeros
const pattern& port_range();  // "2280-2290" or "443"
const pattern& duration();    // "250ms", "1.5s", "2m", "1h" (the range is checked by parse_duration)
const pattern& positive_duration();
const pattern& suite_name();
const pattern& var_name();
const pattern& hex_bytes();
const pattern& ip_address();  // ipv4 | ipv6
const pattern& resolver();    // "system", IPv4[:port], [IPv6][:port], bare IPv6
const pattern& target(const target_rules& rules);

// Longer values are rejected outright: no host, port or URL a suite names comes
// near this, and it bounds the matcher's work.
inline constexpr std::size_t max_length = 4096;

// Full-string match of `text` against one of the patterns above.
bool matches(const pattern& pattern, std::string_view text);

// `pattern` anchored for a JSON Schema "pattern" keyword, which searches rather
// than matches. The lookahead stops Python's `$` from matching before a final "\n".
std::string anchored(const pattern& pattern);

} // namespace edgeprobe::syntax
