#include "probes/http/http_probe.hpp"

#include "probes/http/fetch.hpp"
#include "probes/http/options.hpp"
#include "wire/escape_bytes.hpp"

namespace edgeprobe {

namespace {

nlohmann::json headers_json(const http_fields& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : headers) out.push_back({{"name", name}, {"value", escape_bytes(value, 300)}});
  return out;
}

std::string schemes_text(const std::vector<std::string>& schemes) {
  std::string out;
  for (const auto& s : schemes) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

class http_probe final : public probe {
public:
  std::string_view name() const override { return "http"; }
  std::string_view summary() const override {
    return "HTTP/1.1 request over TCP or TLS: status, headers, body, redirects hop by hop, Basic or NTLM "
           "authentication, and where the time went";
  }
  target_rules target() const override { return {target_rules::form::url, 0}; }
  const probe_options& options() const override { return http_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    if (check.contains("target") && check["target"].is_string() && !parse_http_url(check["target"].get<std::string>()))
      errors.add("/target", "not a URL this probe can fetch", "write \"https://host[:port]/path\", without user:password@");
    return parse_http_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<http_config>();
    verdict v;
    fetch_request request;
    request.url = *parse_http_url(ctx.check.target.text);
    request.method = cfg.method;
    request.headers = cfg.headers;
    request.body = cfg.body;
    request.follow_redirects = cfg.follow_redirects;
    request.auth = cfg.auth;
    request.username = cfg.username;
    request.password = cfg.password;
    request.address = ctx.address;
    const auto started = clock::now();
    const auto got = co_await fetch(ctx, cfg.tls, request, v);
    const double elapsed = to_ms(clock::now() - started);
    v.details["hops"] = got.hops;
    v.details["elapsed_ms"] = elapsed;
    if (!got.answered) co_return v;

    const auto& r = got.response;
    v.details["url"] = got.final_url.text();
    v.details["status"] = r.status;
    v.details["headers"] = headers_json(r.headers);
    v.details["body_bytes"] = r.body.size();
    if (r.body_cut) v.details["body_cut"] = true;
    if (!got.auth_schemes.empty()) v.details["auth_schemes"] = got.auth_schemes;
    judge(cfg, got, elapsed, v);
    co_return v;
  }

private:
  static void judge(const http_config& cfg, const fetch_result& got, double elapsed, verdict& v) {
    const auto& r = got.response;
    const auto where = got.final_url.text();
    const auto answered = std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
    if (!cfg.status_expected(r.status)) {
      if (r.status == 401 && got.credentials_sent)
        v.raise(status::fail, reason::http_auth_failed,
                where + " refused the credentials of " + cfg.username + " (401; it offers " +
                    schemes_text(got.auth_schemes) + ")");
      else if (r.status == 401)
        v.raise(status::fail, reason::http_auth_required,
                where + " requires authentication (401; it offers " + schemes_text(got.auth_schemes) + ")");
      else
        v.raise(status::fail, reason::http_status,
                where + " answered " + answered + ", not " + cfg.expected_statuses() +
                    (r.value("Location").empty() ? "" : " (Location: " + escape_bytes(r.value("Location"), 200) + ")"));
    }
    for (const auto& want : cfg.header_expectations) {
      const auto values = r.values(want.name);
      if (values.empty())
        v.raise(status::fail, reason::http_header_mismatch, where + " sent no " + want.name + " header");
      else if (std::none_of(values.begin(), values.end(), [&](const std::string& s) { return want.pattern.matches(s); }))
        v.raise(status::fail, reason::http_header_mismatch,
                want.name + ": " + escape_bytes(values.front(), 200) + " does not match " + want.pattern.describe());
    }
    if (cfg.body_pattern && !cfg.body_pattern->matches(r.body))
      v.raise(status::fail, reason::http_body_mismatch,
              "the body of " + where + " (" + std::to_string(r.body.size()) + " bytes" +
                  (r.body_cut ? ", cut" : "") + ") does not contain " + cfg.body_pattern->describe() + "; it begins \"" +
                  escape_bytes(r.body, 80) + "\"");
    if (cfg.max_ms && elapsed > *cfg.max_ms)
      v.raise(status::fail, reason::http_slow,
              where + " answered in " + std::to_string(static_cast<long>(elapsed)) + " ms, over the " +
                  std::to_string(static_cast<long>(*cfg.max_ms)) + " ms allowed (first byte after " +
                  std::to_string(static_cast<long>(r.first_byte_ms)) + " ms)");
    const auto found = answered + " from " + where + " in " + std::to_string(static_cast<long>(elapsed)) + " ms" +
                       (got.hops.size() > 1 ? " after " + std::to_string(got.hops.size() - 1) + " redirects" : "") +
                       " (" + std::to_string(r.body.size()) + " bytes)";
    // After a warning (a redirect to another host) the answer is still told.
    if (v.passed()) v.message = found;
    else if (v.state == status::warn) v.message += ". " + found;
  }
};

} // namespace

std::unique_ptr<probe> make_http_probe() { return std::make_unique<http_probe>(); }

} // namespace edgeprobe
