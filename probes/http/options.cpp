#include "probes/http/options.hpp"

#include "core/check_values.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

const std::vector<std::string_view> connection_keys{"sni",       "alpn",        "min_version", "max_version", "ciphers",
                                                    "ca_file",   "client_cert", "client_key",  "verify",      "source_address"};

const option_spec& tls_spec(std::string_view key) {
  const auto& specs = tls_option_specs().options;
  return *std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.key == key; });
}

// RFC 9110 token characters: what a method or a header name may be made of.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

} // namespace

bool http_config::status_expected(unsigned status) const {
  if (status_codes.empty() && status_classes.empty()) return status / 100 == 2;
  return std::find(status_codes.begin(), status_codes.end(), status) != status_codes.end() ||
         std::find(status_classes.begin(), status_classes.end(), status / 100) != status_classes.end();
}

std::string http_config::expected_statuses() const {
  if (status_codes.empty() && status_classes.empty()) return "2xx";
  std::string out;
  for (const auto c : status_classes) out += (out.empty() ? "" : ", ") + std::to_string(c) + "xx";
  for (const auto c : status_codes) out += (out.empty() ? "" : ", ") + std::to_string(c);
  return out;
}

const std::vector<option_spec>& http_connection_option_specs() {
  static const std::vector<option_spec> specs = [] {
    std::vector<option_spec> out;
    for (const auto key : connection_keys) out.push_back(tls_spec(key));
    return out;
  }();
  return specs;
}

const probe_options& http_option_specs() {
  static const probe_options specs = [] {
    probe_options o;
    o.options = {
        {"method", option_kind::string, "The request method (default GET)."},
        {"headers", option_kind::string_map, "Request headers to send, name → value."},
        {"body", option_kind::string, "The request body (sent with Content-Length)."},
        {"follow_redirects", option_kind::integer,
         "How many redirects to follow (default 5; 0: judge the redirect itself). Every hop is in the evidence.", {},
         0, 20},
        {"auth", option_kind::choice, "Authenticate: basic, or ntlm (NTLMv2, on one keep-alive connection).",
         {"basic", "ntlm"}},
        {"username", option_kind::string, "The user for auth; for ntlm DOMAIN\\\\user or user@domain."},
        {"password", option_kind::string, "The password for auth (a secret: never shown)."},
    };
    for (const auto& s : http_connection_option_specs()) o.options.push_back(s);
    o.expect = {
        {"status", option_kind::status_set, "Statuses that pass (default [\"2xx\"]), e.g. [200, 401] or [\"3xx\"]."},
        {"header", option_kind::string_map, "Response headers that must match, name → regex."},
        {"body", option_kind::pattern, "A regex the (first 4 MiB of the) body must contain."},
        {"max_ms", option_kind::integer, "The longest the whole check may take, redirects included, in ms.", {}, 1,
         3600000},
    };
    return o;
  }();
  return specs;
}

void parse_http_connection(const nlohmann::json& check, tls_config& tls, config_errors& errors) {
  nlohmann::json connection = nlohmann::json::object();
  for (const auto key : connection_keys)
    if (check.contains(key)) connection[std::string(key)] = check[std::string(key)];
  if (auto parsed = parse_tls_config(connection, errors)) tls = *parsed;
  // An https check judges the certificate as the tls probe does (expired,
  // untrusted, wrong name, old TLS), but leaves "expires soon" to the tls probe.
  tls.warn_days_left = 0;
}

std::shared_ptr<const http_config> parse_http_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<http_config>();
  parse_http_connection(check, cfg->tls, errors);
  const auto expect = expect_of(check);
  if (check.contains("method")) {
    cfg->method = check["method"].get<std::string>();
    if (!is_token(cfg->method)) errors.add("/method", "not an HTTP method", "for example \"GET\", \"HEAD\" or \"POST\"");
  }
  if (check.contains("headers"))
    for (const auto& [name, value] : check["headers"].items()) {
      const auto text = value.get<std::string>();
      if (!is_token(name)) errors.add("/headers/" + name, "not a header name");
      else if (has_line_break(text)) errors.add("/headers/" + name, "a header value cannot contain a line break");
      else cfg->headers.emplace_back(name, text);
    }
  if (check.contains("body")) cfg->body = check["body"].get<std::string>();
  if (check.contains("follow_redirects")) cfg->follow_redirects = check["follow_redirects"].get<int>();
  if (check.contains("auth")) cfg->auth = check["auth"] == "ntlm" ? http_auth::ntlm : http_auth::basic;
  if (check.contains("username")) cfg->username = check["username"].get<std::string>();
  if (check.contains("password")) cfg->password = check["password"].get<std::string>();
  if (cfg->auth != http_auth::none && cfg->username.empty())
    errors.add("/auth", "auth needs a username", "add \"username\" and \"password\"");
  if (cfg->auth == http_auth::none && check.contains("username"))
    errors.add("/username", "a username without auth is not sent", "add \"auth\": \"basic\" or \"ntlm\"");
  if (cfg->auth == http_auth::basic && cfg->username.find(':') != std::string::npos)
    errors.add("/username", "a basic-auth user name cannot contain ':'");

  if (expect.contains("status"))
    for (const auto& s : expect["status"]) {
      if (s.is_string()) cfg->status_classes.push_back(static_cast<unsigned>(s.get<std::string>()[0] - '0'));
      else cfg->status_codes.push_back(s.get<unsigned>());
    }
  if (expect.contains("header"))
    for (const auto& [name, value] : expect["header"].items()) {
      if (auto pattern = parse_pattern(value, "/expect/header/" + name, errors))
        cfg->header_expectations.push_back({name, std::move(*pattern)});
    }
  if (expect.contains("body")) cfg->body_pattern = parse_pattern(expect["body"], "/expect/body", errors);
  if (expect.contains("max_ms")) cfg->max_ms = expect["max_ms"].get<double>();
  return cfg;
}

} // namespace edgeprobe
