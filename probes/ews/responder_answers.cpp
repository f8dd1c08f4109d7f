#include "probes/ews/responder_answers.hpp"

#include "wire/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace edgeprobe::ews_responder {

namespace {

constexpr std::string_view xml_content_type = "text/xml; charset=utf-8";

} // namespace

ews_http_response xml_answer(unsigned status, std::string body) {
  return {status, {{"Content-Type", std::string(xml_content_type)}}, std::move(body)};
}

ews_http_response text_answer(unsigned status, std::string body) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
}

ews_http_response not_found() { return text_answer(404, "404 - File or directory not found.\r\n"); }

ews_http_response method_not_allowed() {
  auto r = text_answer(405, "405 - HTTP verb used to access this page is not allowed.\r\n");
  r.headers.emplace_back("Allow", "POST");
  return r;
}

ews_http_response unauthorized(const ews_responder_options& o) {
  auto r = text_answer(401, "401 - Unauthorized: Access is denied due to invalid credentials.\r\n");
  if (o.offer_negotiate) r.headers.emplace_back("WWW-Authenticate", "Negotiate");
  if (o.offer_ntlm) r.headers.emplace_back("WWW-Authenticate", "NTLM");
  if (o.offer_basic) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + o.basic_realm + "\"");
  // What Exchange's front end adds to say why (seen on every Exchange 401).
  r.headers.emplace_back("X-CasErrorCode", "UnauthenticatedRequest");
  return r;
}

const ews_mailbox* mailbox_by_email(std::string_view email, const ews_responder_options& o) {
  for (const auto& m : o.mailboxes)
    if (iequals_ascii(m.email, email)) return &m;
  return nullptr;
}

std::string host_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  url = url.substr(0, url.find('/'));
  if (!url.empty() && url.front() == '[') return std::string(url.substr(1, url.find(']') - 1)); // IPv6 literal
  return std::string(url.substr(0, url.find(':')));
}

std::string ews_url_for(const ews_http_request& request, const ews_responder_options& o) {
  if (!o.ews_url.empty()) return o.ews_url;
  const std::string host = std::string(trim_ows(request.header("Host").value_or("")));
  const bool usable = !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  return "https://" + (usable ? host : std::string("localhost")) + "/EWS/Exchange.asmx";
}

} // namespace edgeprobe::ews_responder
