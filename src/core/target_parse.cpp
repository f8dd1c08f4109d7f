#include "core/target_parse.hpp"

#include "core/option_check.hpp"
#include "core/syntax.hpp"

#include <charconv>

namespace edgeprobe {

namespace {

std::uint16_t to_port(std::string_view digits) {
  unsigned value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return static_cast<std::uint16_t>(value);
}

// "host", "host:port", "[v6]" or "[v6]:port", already matched against the grammar.
void split_host_port(std::string_view text, target_spec& out) {
  std::string_view port;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    out.host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size()) port = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  } else {
    out.host = std::string(text);
  }
  if (!port.empty()) out.port = to_port(port);
}

std::string explain(const target_rules& rules) {
  switch (rules.shape) {
  case target_rules::form::name:
    return "a DNS name or an IP address, such as \"contoso.com\"";
  case target_rules::form::url:
    return "an http:// or https:// URL, such as \"https://mail.contoso.com/ews/exchange.asmx\"";
  case target_rules::form::host_port:
    break;
  }
  if (rules.default_port != 0)
    return "a host with an optional port, such as \"sip.contoso.com\" or \"sip.contoso.com:" +
           std::to_string(rules.default_port) + "\"";
  return "host:port, such as \"sip.contoso.com:5061\" or \"[2001:db8::1]:443\"";
}

std::string suggest(std::string_view text, const target_rules& rules) {
  const bool url = text.find("://") != std::string_view::npos;
  switch (rules.shape) {
  case target_rules::form::url:
    if (!url && syntax::matches(syntax::target(rules), "https://" + std::string(text)))
      return "write " + in_quotes("https://" + std::string(text));
    return {};
  case target_rules::form::name:
    if (url) return "write only the host name, without scheme and path";
    if (syntax::matches(syntax::target({}), text)) return "write the name without a port";
    if (text.starts_with("[") && text.ends_with("]")) return "write the address without brackets";
    return {};
  case target_rules::form::host_port:
    break;
  }
  if (url) return "this probe takes host:port, not a URL";
  if (syntax::matches(syntax::ipv6(), text))
    return "put an IPv6 address in brackets: " + in_quotes("[" + std::string(text) + "]:PORT");
  if (rules.default_port == 0 && syntax::matches(syntax::host_name(), text))
    return "add the port: " + in_quotes(std::string(text) + ":PORT");
  return {};
}

} // namespace

std::optional<target_spec> parse_target(std::string_view text, const target_rules& rules, target_problem& problem) {
  if (!syntax::matches(syntax::target(rules), text)) {
    problem = {explain(rules), suggest(text, rules)};
    return std::nullopt;
  }
  target_spec out;
  out.text = std::string(text);
  switch (rules.shape) {
  case target_rules::form::name:
    out.host = std::string(text);
    break;
  case target_rules::form::host_port:
    split_host_port(text, out);
    if (out.port == 0) out.port = rules.default_port;
    break;
  case target_rules::form::url: {
    const bool tls = text.starts_with("https://");
    auto authority = text.substr(tls ? 8 : 7);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    split_host_port(authority, out);
    if (out.port == 0) out.port = tls ? 443 : 80;
    break;
  }
  }
  return out;
}

} // namespace edgeprobe
