#include "serve/http_routes.hpp"

#include "core/byte_pattern.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/prometheus_report.hpp"
#include "serve/serve_metrics.hpp"

#include <sstream>

namespace edgeprobe {

namespace {

// The status page reloads itself this often.
constexpr int status_refresh_seconds = 30;

serve_response text(unsigned status, std::string body) {
  serve_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::optional<std::string> percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') out += ' ';
    else if (text[i] != '%') out += text[i];
    else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_digit(text[i + 1]), low = hex_digit(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

serve_response metrics(const serve_state& state) {
  std::ostringstream out;
  write_serve_metrics(state, out);
  serve_response r = text(200, out.str());
  r.content_type = prometheus_text_type;
  return r;
}

serve_response results(const serve_generation& g) {
  auto doc = nlohmann::ordered_json::object();
  doc["suites"] = nlohmann::ordered_json::array();
  for (const auto& s : g.scheduler->snapshot()) {
    nlohmann::ordered_json entry;
    entry["name"] = s.name;
    entry["runs"] = s.runs;
    entry["result"] = s.last ? to_json(*s.last) : nlohmann::ordered_json();
    doc["suites"].push_back(std::move(entry));
  }
  serve_response r = text(200, doc.dump(2) + "\n");
  r.content_type = "application/json";
  return r;
}

serve_response status_page(const serve_generation& g) {
  const auto suites = g.scheduler->snapshot();
  const auto runs = latest_runs(suites);
  std::ostringstream out;
  html_page_options options;
  options.title = "edgeprobe serve: " + g.config->suite_names();
  options.refresh_seconds = status_refresh_seconds;
  write_html_page(runs, out, options);
  serve_response r = text(200, out.str());
  r.content_type = "text/html; charset=utf-8";
  return r;
}

const char* const refusal =
    "serve runs only the suites in its configuration; the one parameter it takes is /probe's suite=NAME";

} // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> query_parameters(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto name = percent_decoded(part.substr(0, eq));
    auto value = percent_decoded(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

namespace {

bool allowed_method(const serve_request& request) { return request.method == "GET" || request.method == "HEAD"; }

std::string_view path_of(const serve_request& request) { return request.target.substr(0, request.target.find('?')); }

} // namespace

bool needs_credentials(const serve_request& request, const serve_state& state) {
  return allowed_method(request) && path_of(request) != "/healthz" && state.current().auth->required();
}

route_decision route(const serve_request& request, const serve_state& state) {
  const auto question = request.target.find('?');
  const auto path = path_of(request);
  const auto query = question == std::string_view::npos ? std::string_view{} : request.target.substr(question + 1);

  // Every method but GET and HEAD, CONNECT (a proxy's tunnel) included, before authentication.
  if (!allowed_method(request)) {
    serve_response r = text(405, "serve answers GET and HEAD only\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return {r, {}};
  }
  // A liveness probe needs no credentials and learns nothing from "ok".
  if (path == "/healthz") return {text(200, "ok\n"), {}};

  const auto g = state.current();
  const bool authenticated = !g.auth->required() || (request.credentials_verified
                                                         ? *request.credentials_verified
                                                         : g.auth->allows(request.authorization));
  if (!authenticated) {
    serve_response r = text(401, "authentication required\n");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"edgeprobe\", charset=\"UTF-8\"");
    return {r, {}};
  }

  const auto params = query_parameters(query);
  if (!params) return {text(400, "malformed query string\n"), {}};
  if (path == "/probe") {
    std::optional<std::string> suite;
    for (const auto& [name, value] : *params) {
      if (name != "suite" || suite) return {text(400, std::string(refusal) + "\n"), {}};
      suite = value;
    }
    if (!suite) return {text(400, "/probe needs suite=NAME; configured suites: " + g.config->suite_names() + "\n"), {}};
    // The name is not echoed: it is the client's text, and the list says what is valid.
    if (!g.config->find_suite(*suite))
      return {text(404, "no configured suite has that name; configured suites: " + g.config->suite_names() + "\n"), {}};
    return {std::nullopt, *suite};
  }
  if (!params->empty()) return {text(400, std::string(refusal) + "\n"), {}};
  if (path == "/metrics") return {metrics(state), {}};
  if (path == "/api/v1/results") return {results(g), {}};
  if (path == "/") return {status_page(g), {}};
  return {text(404, "not found; serve answers /, /metrics, /probe?suite=NAME, /api/v1/results and /healthz\n"), {}};
}

serve_response probe_answer(const run_result* run) {
  if (!run) return text(503, "the suite has not run yet and serve is stopping\n");
  std::ostringstream out;
  const run_result* one[] = {run};
  write_prometheus_runs(one, out);
  serve_response r = text(200, out.str());
  r.content_type = prometheus_text_type;
  return r;
}

} // namespace edgeprobe
