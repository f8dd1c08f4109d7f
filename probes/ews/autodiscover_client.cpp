#include "probes/ews/autodiscover_client.hpp"

#include "net/resolver.hpp"
#include "probes/ews/autodiscover_xml.hpp"
#include "probes/http/fetch.hpp"
#include "wire/ascii.hpp"
#include "wire/dns/codec.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

constexpr std::string_view pox_path = "/autodiscover/autodiscover.xml";
constexpr std::string_view soap_path = "/autodiscover/autodiscover.svc";

std::string domain_of(const std::string& email) { return lower_ascii(email.substr(email.find('@') + 1)); }

// What one candidate ended with.
struct candidate_end {
  enum class kind { failed, settings, redirect_addr, redirect_url } what = kind::failed;
  std::string ews_url, display_name, redirect;
};

class autodiscover_run {
public:
  autodiscover_run(probe_context& ctx, const ews_config& cfg, verdict& v) : ctx_(ctx), cfg_(cfg), v_(v) {}

  net::awaitable<autodiscover_result> run() {
    std::string email = cfg_.email;
    int redirects = 0;
  restart:
    const auto domain = domain_of(email);
    // [MS-OXDSCLI] 3.1.5: the domain, then autodiscover.domain, then the
    // unauthenticated HTTP redirect, then the SRV record.
    for (const auto& host : {domain, "autodiscover." + domain}) {
      auto end = co_await try_url(*parse_http_url("https://" + host + std::string(pox_path)), email, "https");
      if (co_await follow(end, email, redirects)) goto restart;
      if (end.what == candidate_end::kind::settings) co_return finish(end);
    }
    {
      auto end = co_await try_http_redirect(domain, email);
      if (co_await follow(end, email, redirects)) goto restart;
      if (end.what == candidate_end::kind::settings) co_return finish(end);
    }
    {
      auto end = co_await try_srv(domain, email);
      if (co_await follow(end, email, redirects)) goto restart;
      if (end.what == candidate_end::kind::settings) co_return finish(end);
    }
    fail();
    co_return std::move(out_);
  }

private:
  autodiscover_result finish(const candidate_end& end) {
    out_.ews_url = end.ews_url;
    out_.display_name = end.display_name;
    if (end.ews_url.empty())
      v_.raise(status::fail, reason::autodiscover_no_ews_url,
               "Autodiscover answered for " + cfg_.email + " (" + out_.candidates.back().value("url", std::string{}) +
                   ") without an EWS URL: EWS is not published for this mailbox, or only internally");
    return std::move(out_);
  }

  void fail() {
    std::string first;
    for (const auto& c : out_.candidates)
      if (first.empty() && c.contains("reason")) first = c["url"].get<std::string>() + ": " + c["reason"].get<std::string>();
    v_.raise(status::fail, reason::autodiscover_failed,
             "Autodiscover for " + cfg_.email + " failed at all " + std::to_string(out_.candidates.size()) +
                 " candidates (first: " + (first.empty() ? "none tried" : first) + ")");
  }

  // redirectAddr: start over with the new address; redirectUrl: ask that URL
  // next. True when the caller must start over.
  net::awaitable<bool> follow(candidate_end& end, std::string& email, int& redirects) {
    while (end.what == candidate_end::kind::redirect_url || end.what == candidate_end::kind::redirect_addr) {
      if (++redirects > max_autodiscover_redirects) {
        out_.candidates.back()["reason"] = "autodiscover.failed";
        out_.candidates.back()["message"] = "more than 10 Autodiscover redirects";
        end.what = candidate_end::kind::failed;
        co_return false;
      }
      if (end.what == candidate_end::kind::redirect_addr) {
        email = end.redirect;
        co_return true;
      }
      const auto url = parse_http_url(end.redirect);
      if (!url || !url->tls) { // [MS-OXDSCLI] 3.1.5.4: only https redirect URLs are followed
        out_.candidates.back()["message"] = "redirectUrl is not an https URL: " + end.redirect;
        end.what = candidate_end::kind::failed;
        co_return false;
      }
      end = co_await try_url(*url, email, "redirectUrl");
    }
    co_return false;
  }

  // One URL: POX and/or SOAP as configured (the URL's path is replaced by each protocol's).
  net::awaitable<candidate_end> try_url(http_url url, const std::string& email, const std::string& how) {
    candidate_end end;
    const bool pox = cfg_.autodiscover == autodiscover_mode::pox || cfg_.autodiscover == autodiscover_mode::both;
    const bool soap = cfg_.autodiscover == autodiscover_mode::soap || cfg_.autodiscover == autodiscover_mode::both;
    if (pox) {
      if (how != "redirectUrl") url.target = std::string(pox_path);
      end = co_await ask(url, email, how, false);
      if (end.what != candidate_end::kind::failed || !soap) co_return end;
    }
    url.target = std::string(soap_path);
    co_return co_await ask(url, email, how, true);
  }

  net::awaitable<candidate_end> ask(const http_url& url, const std::string& email, const std::string& how, bool soap) {
    nlohmann::json record = {{"url", url.text()}, {"how", how}, {"protocol", soap ? "soap" : "pox"}, {"email", email}};
    fetch_request request;
    request.url = url;
    request.method = "POST";
    request.headers = {{"Content-Type", "text/xml; charset=utf-8"}};
    if (soap) {
      const std::vector<std::string> settings{"ExternalEwsUrl", "InternalEwsUrl", "UserDisplayName"};
      request.body = autodiscover::soap_request(email, url.text(), settings);
      request.headers.emplace_back(
          "SOAPAction", "\"http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings\"");
    } else {
      request.body = autodiscover::pox_request(email);
    }
    if (cfg_.has_credentials()) {
      request.auth = cfg_.auth;
      request.username = cfg_.username;
      request.password = cfg_.password;
    }
    verdict own; // this candidate's own result, kept in the evidence
    const auto got = co_await fetch(ctx_, cfg_.tls, request, own);
    record["hops"] = got.hops;
    candidate_end end;
    if (got.answered) {
      record["status"] = got.response.status;
      if (!got.auth_schemes.empty()) {
        record["auth_schemes"] = got.auth_schemes;
        out_.auth_schemes = got.auth_schemes;
      }
      if (got.response.status == 401)
        own.raise(status::fail, got.credentials_sent ? reason::http_auth_failed : reason::http_auth_required,
                  "401" + std::string(got.credentials_sent ? ": the credentials were refused" : ": credentials needed"));
      else if (got.response.status != 200)
        own.raise(status::fail, reason::http_status, "answered " + std::to_string(got.response.status));
      else
        end = soap ? read_soap(got.response.body, own) : read_pox(got.response.body, own);
    }
    if (end.what == candidate_end::kind::settings) record["ews_url"] = end.ews_url;
    if (end.what == candidate_end::kind::redirect_addr || end.what == candidate_end::kind::redirect_url)
      record["redirect"] = end.redirect;
    if (own.why != reason::none) record["reason"] = std::string(code(own.why));
    if (!own.message.empty()) record["message"] = own.message;
    out_.candidates.push_back(std::move(record));
    co_return end;
  }

  static candidate_end read_pox(const std::string& body, verdict& own) {
    candidate_end end;
    const auto r = autodiscover::parse_pox_response(body);
    if (!r) {
      own.raise(status::fail, reason::http_malformed, "not an Autodiscover response: " + r.error.what);
      return end;
    }
    using kind = autodiscover::pox_response::kind;
    switch (r.value->what) {
      case kind::settings:
        end.what = candidate_end::kind::settings;
        end.ews_url = r.value->ews_url();
        end.display_name = r.value->display_name;
        break;
      case kind::redirect_addr: end.what = candidate_end::kind::redirect_addr; end.redirect = r.value->redirect; break;
      case kind::redirect_url: end.what = candidate_end::kind::redirect_url; end.redirect = r.value->redirect; break;
      case kind::error:
        own.raise(status::fail, reason::autodiscover_failed,
                  "Autodiscover error " + r.value->error_code + ": " + r.value->error_message);
        break;
    }
    return end;
  }

  static candidate_end read_soap(const std::string& body, verdict& own) {
    candidate_end end;
    const auto r = autodiscover::parse_soap_response(body);
    if (!r) {
      own.raise(status::fail, reason::http_malformed, "not an Autodiscover SOAP response: " + r.error.what);
      return end;
    }
    const auto& code_text = r.value->error_code;
    if (code_text == "RedirectAddress") {
      end.what = candidate_end::kind::redirect_addr;
      end.redirect = r.value->redirect_target;
    } else if (code_text == "RedirectUrl") {
      end.what = candidate_end::kind::redirect_url;
      end.redirect = r.value->redirect_target;
    } else if (code_text == "NoError" || code_text.empty()) {
      if (!r.value->response_error_code.empty() && r.value->response_error_code != "NoError") {
        own.raise(status::fail, reason::autodiscover_failed,
                  "Autodiscover error " + r.value->response_error_code + ": " + r.value->response_error_message);
        return end;
      }
      end.what = candidate_end::kind::settings;
      end.ews_url = r.value->ews_url();
      end.display_name = r.value->setting("UserDisplayName");
    } else {
      own.raise(status::fail, reason::autodiscover_failed, "Autodiscover error " + code_text + ": " + r.value->error_message);
    }
    return end;
  }

  // [MS-OXDSCLI] 3.1.5.3: GET http://autodiscover.DOMAIN/autodiscover/autodiscover.xml
  // without credentials; a 302 to an https URL is the URL to ask.
  net::awaitable<candidate_end> try_http_redirect(const std::string& domain, const std::string& email) {
    const auto url = *parse_http_url("http://autodiscover." + domain + std::string(pox_path));
    nlohmann::json record = {{"url", url.text()}, {"how", "http redirect"}};
    fetch_request request;
    request.url = url;
    verdict own;
    const auto got = co_await fetch(ctx_, cfg_.tls, request, own);
    record["hops"] = got.hops;
    const auto location = got.answered ? got.response.value("Location") : std::string{};
    const auto next = location.empty() ? std::nullopt : resolve_location(url, location);
    if (got.answered) record["status"] = got.response.status;
    if (got.answered && (got.response.status == 301 || got.response.status == 302) && next && next->tls) {
      record["redirect"] = next->text();
      out_.candidates.push_back(std::move(record));
      co_return co_await try_url(*next, email, "http redirect target");
    }
    if (got.answered && own.why == reason::none)
      own.raise(status::fail, reason::http_status,
                "answered " + std::to_string(got.response.status) + ", not a redirect to an https URL");
    record["reason"] = std::string(code(own.why));
    record["message"] = own.message;
    out_.candidates.push_back(std::move(record));
    co_return candidate_end{};
  }

  // [MS-OXDSCLI] 3.1.5.2: SRV _autodiscover._tcp.DOMAIN, the lowest priority then highest weight.
  net::awaitable<candidate_end> try_srv(const std::string& domain, const std::string& email) {
    const auto name = "_autodiscover._tcp." + domain;
    nlohmann::json record = {{"url", "SRV " + name}, {"how", "srv"}};
    const auto answer = co_await ctx_.resolver.query(name, dns::type::srv, ctx_.deadline);
    std::optional<dns::srv_rdata> best;
    if (answer.why == reason::none) {
      if (const auto parsed = dns::parse_message(answer.response)) {
        if (parsed.value->head.rcode == dns::rcode::nxdomain) record["reason"] = "dns.nxdomain";
        else if (parsed.value->head.rcode == dns::rcode::refused) record["reason"] = "dns.refused";
        for (const auto& r : parsed.value->answers)
          if (const auto* srv = std::get_if<dns::srv_rdata>(&r.data))
            if (!best || srv->priority < best->priority || (srv->priority == best->priority && srv->weight > best->weight))
              best = *srv;
      }
    } else {
      record["reason"] = std::string(code(answer.why));
      record["message"] = answer.message;
    }
    if (!best || best->target.empty() || best->target == ".") {
      if (!record.contains("reason")) record["reason"] = "dns.nodata";
      if (!record.contains("message")) record["message"] = "no SRV record for " + name;
      out_.candidates.push_back(std::move(record));
      co_return candidate_end{};
    }
    auto target = best->target;
    if (target.ends_with('.')) target.pop_back();
    const auto url = parse_http_url("https://" + target + ":" + std::to_string(best->port) + std::string(pox_path));
    record["srv"] = target + ":" + std::to_string(best->port);
    out_.candidates.push_back(std::move(record));
    if (!url) co_return candidate_end{};
    co_return co_await try_url(*url, email, "srv target");
  }

  probe_context& ctx_;
  const ews_config& cfg_;
  verdict& v_;
  autodiscover_result out_;
};

} // namespace

net::awaitable<autodiscover_result> run_autodiscover(probe_context& ctx, const ews_config& cfg, verdict& v) {
  autodiscover_run run(ctx, cfg, v);
  co_return co_await run.run();
}

} // namespace edgeprobe
