// Fetching a URL the way the http probe (and ews on top of it) does: connect
// (and TLS) to the address, authenticate as configured, send, read, follow
// redirects, recording each hop as evidence. The caller judges the final answer.
#pragma once
#include "core/probe.hpp"
#include "probes/http/exchange.hpp"
#include "probes/http/options.hpp"
#include "probes/http/url.hpp"

#include <optional>

namespace edgeprobe {

struct fetch_request {
  http_url url;
  std::string method = "GET";
  http_fields headers;
  std::string body;
  int follow_redirects = 0;
  http_auth auth = http_auth::none;
  std::string username, password;
  // The first hop's address (the runner resolved the target); later hops to
  // another host resolve theirs. Unset: resolve this URL's host too.
  std::optional<net::ip::address> address;
};

struct fetch_result {
  bool answered = false;        // `response` is the last hop's complete answer
  http_response response;
  http_url final_url;
  nlohmann::json hops = nlohmann::json::array(); // every request made: url, address, status, times, location
  std::vector<std::string> auth_schemes;          // every WWW-Authenticate seen on the last hop
  bool credentials_sent = false;                  // the last hop carried credentials
};

// Raises on `v` what stops the fetch (connect/TLS failures with their own
// reasons, http.no_response, http.malformed, http.redirect_limit); the verdict
// stays pass when an answer was read, whatever its status.
net::awaitable<fetch_result> fetch(probe_context& ctx, const tls_config& tls, const fetch_request& request, verdict& v);

// "Negotiate", "NTLM", "Basic realm=\"x\"": the scheme of each challenge in the
// WWW-Authenticate values (NTLM's token is left out).
std::vector<std::string> auth_schemes(const http_response& response);

} // namespace edgeprobe
