#include "probes/http/fetch.hpp"

#include "net/connect_judge.hpp"
#include "net/endpoint_text.hpp"
#include "net/resolver.hpp"
#include "net/tcp_connect.hpp"
#include "probes/http/connection.hpp"
#include "probes/tls/handshake_step.hpp"
#include "wire/base64.hpp"
#include "wire/escape_bytes.hpp"
#include "wire/ntlm/ntlm.hpp"

#include <openssl/rand.h>

#include <chrono>

namespace edgeprobe {

namespace {

// Now as a Windows FILETIME: 100 ns ticks since 1601-01-01.
std::uint64_t filetime_now() {
  constexpr std::uint64_t unix_epoch_in_filetime = 116444736000000000ULL;
  const auto since_1970 = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return unix_epoch_in_filetime + static_cast<std::uint64_t>(since_1970.count() / 100);
}

// "CONTOSO\jdoe" → {"jdoe", "CONTOSO"}; "jdoe@contoso.com" and "jdoe" stay whole
// with no domain ([MS-NLMP] 3.1.5.1.2 accepts a UPN as the user name).
ntlm::credentials ntlm_credentials(const std::string& username, const std::string& password) {
  const auto slash = username.find('\\');
  if (slash == std::string::npos) return {username, "", password};
  return {username.substr(slash + 1), username.substr(0, slash), password};
}

std::string hop_text(const nlohmann::json& hops) {
  std::string out;
  for (const auto& h : hops) out += (out.empty() ? "" : " → ") + h.value("url", std::string{});
  return out;
}

bool is_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

class fetcher {
public:
  fetcher(probe_context& ctx, const tls_config& tls, const fetch_request& request, verdict& v)
      : ctx_(ctx), tls_(tls), request_(request), v_(v) {}

  net::awaitable<fetch_result> run() {
    http_url url = request_.url;
    std::optional<net::ip::address> address = request_.address;
    const std::string origin_host = url.host;
    std::string method = request_.method;
    std::string body = request_.body;
    for (int hop = 0;; ++hop) {
      nlohmann::json record = {{"url", url.text()}};
      if (!address) address = co_await resolve(url.host, record);
      if (!address) co_return std::move(out_);
      // Credentials go only to the host they were given for, never along a redirect elsewhere.
      const bool send_credentials = request_.auth != http_auth::none && url.host == origin_host;
      const auto answer = co_await one_hop(url, *address, method, body, send_credentials, record);
      out_.hops.push_back(std::move(record));
      if (!answer) co_return std::move(out_);

      const auto location = answer->value("Location");
      if (request_.follow_redirects > 0 && is_redirect(answer->status) && !location.empty()) {
        if (hop >= request_.follow_redirects) {
          v_.raise(status::fail, reason::http_redirect_limit,
                   "still redirected after " + std::to_string(hop) + " redirects: " + hop_text(out_.hops) + " → " +
                       location);
          finish(*answer, url, send_credentials);
          co_return std::move(out_);
        }
        const auto next = resolve_location(url, location);
        if (!next) {
          v_.raise(status::fail, reason::http_malformed,
                   url.text() + " redirects to \"" + printable(location) + "\", which is not an http(s) URL");
          finish(*answer, url, send_credentials);
          co_return std::move(out_);
        }
        if (next->host != url.host) {
          address.reset();
          redirected_elsewhere(url, *next, answer->status);
        }
        // RFC 9110 15.4: 301/302/303 turn a POST into a GET; 307/308 keep it.
        if (answer->status == 303 || ((answer->status == 301 || answer->status == 302) && method == "POST")) {
          method = "GET";
          body.clear();
        }
        url = *next;
        continue;
      }
      finish(*answer, url, send_credentials);
      co_return std::move(out_);
    }
  }

private:
  static std::string printable(std::string_view s) { return escape_bytes(s, 200); }

  // A warning of its own, raised before the next hop is tried: what fails
  // there (its TLS, its answer) is another host's, and the check's details
  // keep this finding whatever that failure replaces as the reason.
  void redirected_elsewhere(const http_url& from, const http_url& to, unsigned status_code) {
    v_.raise(status::warn, reason::http_redirect_other_host,
             from.text() + " redirects (" + std::to_string(status_code) + ") to " + to.text() + ", on another host: " +
                 "what follows is " + to.host + "'s answer, not " + from.host + "'s" +
                 (request_.auth != http_auth::none ? "; the credentials are not sent there" : ""));
  }

  void finish(const http_response& answer, const http_url& url, bool credentials_sent) {
    out_.answered = true;
    out_.response = answer;
    out_.final_url = url;
    out_.auth_schemes = auth_schemes(answer);
    out_.credentials_sent = credentials_sent;
  }

  net::awaitable<std::optional<net::ip::address>> resolve(const std::string& host, nlohmann::json& record) {
    const auto found = co_await ctx_.resolver.lookup_host(host, ctx_.check.family, ctx_.deadline);
    if (found.addresses.empty()) {
      record["error"] = found.message;
      v_.raise(status::fail, found.why == reason::none ? reason::dns_no_address : found.why,
               "the redirect to " + host + " cannot be followed: " + found.message);
      out_.hops.push_back(record);
      co_return std::nullopt;
    }
    co_return found.addresses.front();
  }

  // Connect, TLS, the request (with its authentication legs): the answer, or
  // nullopt after raising why there is none.
  net::awaitable<std::optional<http_response>> one_hop(const http_url& url, const net::ip::address& address,
                                                       const std::string& method, const std::string& body,
                                                       bool send_credentials, nlohmann::json& record) {
    const net::ip::tcp::endpoint remote(address, url.port);
    const auto served_by = endpoint_text(remote);
    record["address"] = served_by;
    auto r = co_await connect_and_judge(ctx_, remote, tls_.transport, v_, record);
    if (!r.connected()) co_return std::nullopt;

    http_connection connection(std::move(*r.socket), url.tls ? tls_.context.get() : nullptr);
    if (url.tls) {
      nlohmann::json tls_details = nlohmann::json::object();
      const auto step = co_await handshake_and_judge(ctx_, tls_, *connection.tls(), r, served_by, url.host, tls_details, v_);
      record["tls"] = std::move(tls_details);
      if (!step.usable) {
        co_await connection.close(ctx_.deadline);
        co_return std::nullopt;
      }
    }

    http_request request;
    request.method = method;
    request.target = url.target;
    request.host = url.authority();
    request.headers = request_.headers;
    request.body = body;
    std::optional<http_exchange> ex;
    if (send_credentials && request_.auth == http_auth::basic) {
      request.headers.emplace_back("Authorization", "Basic " + base64_encode(request_.username + ":" + request_.password));
      ex = co_await exchange(connection, request, ctx_.deadline, ctx_.phases);
    } else if (send_credentials && request_.auth == http_auth::ntlm) {
      ex = co_await ntlm_exchange(connection, request, record);
    } else {
      ex = co_await exchange(connection, request, ctx_.deadline, ctx_.phases);
    }
    co_await connection.close(ctx_.deadline);
    const auto& answer = ex->response;
    if (answer.status != 0) {
      record["status"] = answer.status;
      record["reason"] = answer.reason;
    }
    record["first_byte_ms"] = answer.first_byte_ms;
    record["transfer_ms"] = answer.transfer_ms;
    record["bytes"] = answer.bytes;
    if (const auto location = answer.value("Location"); !location.empty()) record["location"] = printable(location);
    if (ex->failed == http_exchange::failure::none) co_return answer;
    record["error"] = ex->what;
    // A reset is the transport's failure, named as the tcp probe names it (results.md).
    const reason why = ex->failed == http_exchange::failure::malformed ? reason::http_malformed
                       : ex->failed == http_exchange::failure::reset   ? reason::tcp_reset
                                                                        : reason::http_no_response;
    v_.raise(status::fail, why, served_by + " (" + url.text() + "): " + ex->what);
    co_return std::nullopt;
  }

  // [MS-NLMP] over HTTP: NEGOTIATE in the first request, the server's CHALLENGE
  // in its 401, AUTHENTICATE in the second request — on this one connection,
  // since the server ties the challenge to it.
  net::awaitable<http_exchange> ntlm_exchange(http_connection& connection, http_request request, nlohmann::json& record) {
    auto first = request;
    first.headers.emplace_back("Authorization", ntlm::header_value(ntlm::build_negotiate()));
    auto ex = co_await exchange(connection, first, ctx_.deadline, ctx_.phases);
    if (ex.failed != http_exchange::failure::none || ex.response.status != 401) co_return ex;
    std::optional<ntlm::challenge_message> challenge;
    for (const auto& value : ex.response.values("WWW-Authenticate"))
      if (const auto token = ntlm::from_header_value(value); token && !token->empty())
        if (auto parsed = ntlm::parse_challenge(*token)) challenge = std::move(*parsed.value);
    if (!challenge) {
      record["ntlm"] = "the 401 carries no NTLM challenge (schemes offered: " +
                       nlohmann::json(auth_schemes(ex.response)).dump() + ")";
      co_return ex;
    }
    record["ntlm"] = {{"challenge_flags", ntlm::flag_names(challenge->flags)},
                      {"target", challenge->target_name},
                      {"dns_domain", challenge->dns_domain_name().value_or("")}};
    if (!ex.response.keep_alive) {
      ex.failed = http_exchange::failure::closed;
      ex.what = "the server closed the connection after the NTLM challenge: NTLM needs one keep-alive connection "
                "(a proxy or load balancer in between may not keep it)";
      co_return ex;
    }
    ntlm::client_inputs inputs;
    RAND_bytes(inputs.client_challenge.data(), static_cast<int>(inputs.client_challenge.size()));
    inputs.timestamp = filetime_now();
    inputs.workstation = "EDGEPROBE";
    request.headers.emplace_back(
        "Authorization",
        ntlm::header_value(ntlm::build_authenticate(*challenge, ntlm_credentials(request_.username, request_.password), inputs)));
    co_return co_await exchange(connection, request, ctx_.deadline, ctx_.phases);
  }

  probe_context& ctx_;
  const tls_config& tls_;
  const fetch_request& request_;
  verdict& v_;
  fetch_result out_;
};

} // namespace

std::vector<std::string> auth_schemes(const http_response& response) {
  std::vector<std::string> out;
  for (const auto& value : response.values("WWW-Authenticate")) {
    const auto start = value.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const auto end = value.find_first_of(" \t", start);
    const auto scheme = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
    // Basic and Digest carry a realm worth showing; NTLM and Negotiate tokens are noise.
    const bool show_rest = scheme == "Basic" || scheme == "Digest" || scheme == "Bearer";
    out.push_back(show_rest ? escape_bytes(value.substr(start), 120) : scheme);
  }
  return out;
}

net::awaitable<fetch_result> fetch(probe_context& ctx, const tls_config& tls, const fetch_request& request, verdict& v) {
  fetcher f(ctx, tls, request, v);
  co_return co_await f.run();
}

} // namespace edgeprobe
