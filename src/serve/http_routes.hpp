// What serve answers, apart from the sockets: one function per request, so the
// routing, the parameters it refuses and the auth rules are tested without a
// network. The only parameter serve reads is /probe's `suite`, a configured
// name: no request can make serve contact a target that is not in its
// configuration (no open proxy, no SSRF).
#pragma once
#include "core/result.hpp"
#include "serve/serve_state.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeprobe {

struct serve_request {
  std::string_view method;
  std::string_view target;        // "/probe?suite=edge"
  std::string_view authorization; // the Authorization header, or empty
  // The server checks passwords off its I/O thread (password_checks) and says
  // here how that went; unset, route() checks the header itself.
  std::optional<bool> credentials_verified;
};

struct serve_response {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; // beyond the ones every answer carries
};

// Either the answer, or the name of the suite to run before answering (/probe).
struct route_decision {
  std::optional<serve_response> answer;
  std::string run_suite;
};

route_decision route(const serve_request& request, const serve_state& state);

// Whether route() will ask for credentials: a GET or HEAD of anything but
// /healthz while auth is on.
bool needs_credentials(const serve_request& request, const serve_state& state);

// /probe's answer once the run has ended (null: the suite has not run yet and serve is stopping).
serve_response probe_answer(const run_result* run);

// The query's parameters, percent-decoded; nullopt when it is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> query_parameters(std::string_view query);

inline constexpr std::string_view prometheus_text_type = "text/plain; version=0.0.4; charset=utf-8";

} // namespace edgeprobe
