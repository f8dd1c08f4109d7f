#include "core/syntax.hpp"

#include <boost/regex.hpp>

namespace edgeprobe::syntax {

struct pattern::compiled_form {
  boost::regex regex;
};

namespace {

std::string group(const std::string& p) { return "(?:" + p + ")"; }

const std::string h16 = "[0-9A-Fa-f]{1,4}";

// "(h16:){0,n}h16", the optional run of groups before "::" in RFC 3986.
std::string head(int n) {
  return group(group(h16 + ":") + "{0," + std::to_string(n) + "}" + h16) + "?";
}

// Compiled once per pattern, at its first use. std::regex was the engine
// before: compiling the target pattern alone took 43 M instructions (libstdc++
// builds a locale-aware matcher for all 256 bytes of every bracket), most of a
// one-check run's start-up.
pattern compile(std::string text) {
  auto compiled = std::make_shared<const pattern::compiled_form>(pattern::compiled_form{boost::regex(text, boost::regex::perl)});
  return {std::move(text), std::move(compiled)};
}

std::string ipv4_text() {
  const std::string octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  return octet + group("\\." + octet) + "{3}";
}

std::string ipv6_text() {
  // RFC 3986 section 3.2.2, alternative by alternative.
  const std::string g = group(h16 + ":");
  const std::string ls32 = group(h16 + ":" + h16 + "|" + ipv4_text());
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

std::string host_name_text() {
  const std::string label = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
  return label + group("\\." + label) + "*\\.?";
}

std::string port_text() {
  return "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
}

std::string duration_text() { return "[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h)"; }

std::string target_text(const target_rules& rules) {
  const std::string bracketed = "\\[" + ipv6_text() + "\\]";
  switch (rules.shape) {
  case target_rules::form::name:
    return group(host_name_text() + "|" + ipv6_text());
  case target_rules::form::url:
    return "https?://" + group(host_name_text() + "|" + bracketed) + group(":" + port_text()) + "?" +
           group("[/?#][!-~]*") + "?";
  case target_rules::form::host_port:
    break;
  }
  const std::string port_part = group(":" + port_text()) + (rules.default_port != 0 ? "?" : "");
  return group(host_name_text() + "|" + bracketed) + port_part;
}

} // namespace

const pattern& ipv4() {
  static const pattern p = compile(ipv4_text());
  return p;
}

const pattern& ipv6() {
  static const pattern p = compile(ipv6_text());
  return p;
}

const pattern& host_name() {
  static const pattern p = compile(host_name_text());
  return p;
}

const pattern& port() {
  static const pattern p = compile(port_text());
  return p;
}

const pattern& port_range() {
  static const pattern p = compile(port_text() + group("-" + port_text()) + "?");
  return p;
}

const pattern& duration() {
  static const pattern p = compile(duration_text());
  return p;
}

const pattern& positive_duration() {
  static const pattern p = compile("(?=[0-9.]*[1-9])" + duration_text());
  return p;
}

const pattern& suite_name() {
  static const pattern p = compile("[A-Za-z0-9._-]+");
  return p;
}

const pattern& var_name() {
  static const pattern p = compile("[A-Za-z0-9_.-]+");
  return p;
}

// Two digits per byte; whitespace or colons may separate bytes (decode_hex).
const pattern& hex_bytes() {
  static const pattern p = compile("[\\s:]*(?:[0-9A-Fa-f]{2}[\\s:]*)*");
  return p;
}

const pattern& ip_address() {
  static const pattern p = compile(group(ipv4_text() + "|" + ipv6_text()));
  return p;
}

const pattern& resolver() {
  static const pattern p =
      compile(group("system|" + ipv4_text() + group(":" + port_text()) + "?|\\[" + ipv6_text() + "\\]" +
                    group(":" + port_text()) + "?|" + ipv6_text()));
  return p;
}

const pattern& target(const target_rules& rules) {
  // The pattern depends only on the shape and on whether the port may be left out.
  static const pattern name = compile(target_text({.shape = target_rules::form::name}));
  static const pattern url = compile(target_text({.shape = target_rules::form::url}));
  static const pattern host_port = compile(target_text({.shape = target_rules::form::host_port}));
  static const pattern host_optional_port =
      compile(target_text({.shape = target_rules::form::host_port, .default_port = 1}));
  switch (rules.shape) {
  case target_rules::form::name: return name;
  case target_rules::form::url: return url;
  case target_rules::form::host_port: break;
  }
  return rules.default_port != 0 ? host_optional_port : host_port;
}

bool matches(const pattern& p, std::string_view text) {
  if (text.size() > max_length) return false;
  try {
    return boost::regex_match(text.begin(), text.end(), p.compiled->regex);
  } catch (const std::runtime_error&) {
    return false; // Boost.Regex gives up on pathological backtracking; these grammars never reach it
  }
}

std::string anchored(const pattern& p) { return "^" + group(p.text) + "$(?![\\s\\S])"; }

} // namespace edgeprobe::syntax
