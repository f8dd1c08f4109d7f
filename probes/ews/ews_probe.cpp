#include "probes/ews/ews_probe.hpp"

#include "probes/ews/autodiscover_client.hpp"
#include "probes/ews/options.hpp"
#include "probes/http/fetch.hpp"
#include "wire/escape_bytes.hpp"

namespace edgeprobe {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "no scheme" : out;
}

// What was found at the end, as the message: after a warning (a redirect to
// another host, a slow connect) the warning's message stays first.
void conclude(verdict& v, const std::string& found) {
  if (v.passed()) v.message = found;
  else if (v.state == status::warn) v.message += ". " + found;
}

const char* operation_name(const std::optional<ews::operation>& op) {
  if (!op) return "none";
  return *op == ews::operation::get_folder ? "GetFolder" : "GetUserOofSettings";
}

class ews_probe final : public probe {
public:
  std::string_view name() const override { return "ews"; }
  std::string_view summary() const override {
    return "Exchange Web Services: Autodiscover for a mailbox (every candidate URL with its own result), then a "
           "SOAP call with NTLM or Basic; without credentials, whether EWS answers and which schemes it offers";
  }
  target_rules target() const override { return {target_rules::form::url, 0}; }
  const probe_options& options() const override { return ews_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    if (check.contains("target") && check["target"].is_string() && !parse_http_url(check["target"].get<std::string>()))
      errors.add("/target", "not a URL this probe can call", "write \"https://mail.contoso.com/EWS/Exchange.asmx\"");
    return parse_ews_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<ews_config>();
    verdict v;
    auto url = *parse_http_url(ctx.check.target.text);
    if (!cfg.email.empty() && cfg.autodiscover != autodiscover_mode::off) {
      const auto found = co_await run_autodiscover(ctx, cfg, v);
      v.details["autodiscover"] = {{"email", cfg.email}, {"candidates", found.candidates}};
      if (!found.display_name.empty()) v.details["autodiscover"]["display_name"] = found.display_name;
      if (found.ews_url.empty()) co_return v;
      v.details["autodiscover"]["ews_url"] = found.ews_url;
      const auto discovered = parse_http_url(found.ews_url);
      if (!discovered) {
        v.raise(status::fail, reason::autodiscover_no_ews_url,
                "Autodiscover handed out \"" + escape_bytes(found.ews_url, 200) + "\", which is not an http(s) URL");
        co_return v;
      }
      v.details["autodiscover"]["matches_target"] = discovered->text() == url.text();
      url = *discovered;
    }
    co_await call_ews(ctx, cfg, url, v);
    co_return v;
  }

private:
  static net::awaitable<void> call_ews(probe_context& ctx, const ews_config& cfg, const http_url& url, verdict& v) {
    fetch_request request;
    request.url = url;
    if (cfg.operation) {
      request.method = "POST";
      request.headers = {{"Content-Type", "text/xml; charset=utf-8"}};
      request.body = ews::request(*cfg.operation, cfg.email);
    }
    if (cfg.has_credentials()) {
      request.auth = cfg.auth;
      request.username = cfg.username;
      request.password = cfg.password;
    }
    // The runner resolved the target's host; a URL from Autodiscover may name another.
    if (url.host == ctx.check.target.host) request.address = ctx.address;
    const auto got = co_await fetch(ctx, cfg.tls, request, v);
    v.details["ews_url"] = url.text();
    v.details["operation"] = operation_name(cfg.operation);
    v.details["hops"] = got.hops;
    if (!got.answered) co_return;
    const auto& r = got.response;
    v.details["status"] = r.status;
    if (!got.auth_schemes.empty()) v.details["auth_schemes"] = got.auth_schemes;

    if (r.status == 401) {
      if (got.credentials_sent)
        v.raise(status::fail, reason::http_auth_failed,
                url.text() + " refused the credentials of " + cfg.username + " (it offers " + joined(got.auth_schemes) + ")");
      else if (cfg.outcome == ews_outcome::authenticated)
        v.raise(status::fail, reason::http_auth_required, url.text() + " requires authentication (it offers " +
                                                               joined(got.auth_schemes) + ")");
      else
        conclude(v, "EWS at " + url.text() + " is reachable: it asks for authentication and offers " +
                        joined(got.auth_schemes));
      v.details["outcome"] = got.credentials_sent ? "refused" : "reachable";
      co_return;
    }
    if (!cfg.operation) {
      judge_reachable(cfg, url, r, v);
      co_return;
    }
    const auto answer = ews::parse_response(r.body);
    if (!answer) {
      v.raise(status::fail, r.status == 200 ? reason::http_malformed : reason::http_status,
              url.text() + " answered " + std::to_string(r.status) + " with no EWS response (" + answer.error.what + ")");
      co_return;
    }
    const auto& a = *answer.value;
    if (a.version) v.details["server_version"] = a.version->text();
    if (a.fault) {
      v.details["soap_fault"] = {{"code", a.fault_code}, {"text", a.fault_string}, {"response_code", a.response_code}};
      v.raise(status::fail, reason::ews_soap_fault,
              url.text() + " answered " + operation_name(cfg.operation) + " with a SOAP fault: " + a.fault_code + ": " +
                  a.fault_string);
      co_return;
    }
    v.details["response_class"] = a.response_class;
    v.details["response_code"] = a.response_code;
    if (a.response_class != "Success") {
      v.raise(status::fail, reason::ews_error_response,
              operation_name(cfg.operation) + std::string(" at ") + url.text() + " returned " + a.response_class + " " +
                  a.response_code + (a.message_text.empty() ? "" : ": " + a.message_text));
      co_return;
    }
    v.details["outcome"] = "authenticated";
    conclude(v, std::string(operation_name(cfg.operation)) + " at " + url.text() + " returned Success" +
                    (cfg.has_credentials() ? " for " + cfg.username : "") +
                    (a.version ? " (Exchange " + a.version->text() + ")" : ""));
  }

  static void judge_reachable(const ews_config& cfg, const http_url& url, const http_response& r, verdict& v) {
    const bool ok = r.status / 100 == 2 || r.status / 100 == 3 || (r.status == 405 && !cfg.has_credentials());
    if (!ok) {
      v.raise(status::fail, reason::http_status, url.text() + " answered " + std::to_string(r.status) + " " + r.reason);
      return;
    }
    v.details["outcome"] = cfg.has_credentials() ? "authenticated" : "reachable";
    conclude(v, "EWS at " + url.text() + " answers " + std::to_string(r.status));
  }
};

} // namespace

std::unique_ptr<probe> make_ews_probe() { return std::make_unique<ews_probe>(); }

} // namespace edgeprobe
