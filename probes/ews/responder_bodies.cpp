#include "probes/ews/responder_bodies.hpp"

#include "probes/ews/responder_answers.hpp"
#include "wire/ascii.hpp"

namespace edgeprobe::ews_responder {

namespace {

// ---- Autodiscover POX ([MS-OXDSCLI]) -------------------------------------------------

autodiscover::pox_response pox_error(std::string code, std::string message) {
  autodiscover::pox_response r;
  r.what = autodiscover::pox_response::kind::error;
  r.error_code = std::move(code);
  r.error_message = std::move(message);
  return r;
}

// A settings answer as Exchange 2013+ gives it: EXCH (inside) and EXPR
// (outside, Outlook Anywhere) protocols, each with EwsUrl, and ASUrl and
// OOFUrl pointing at the same EWS endpoint.
autodiscover::pox_response mailbox_settings(const ews_mailbox& m, const std::string& ews_url) {
  autodiscover::pox_response r;
  r.what = autodiscover::pox_response::kind::settings;
  r.display_name = m.display_name;
  for (const char* type : {"EXCH", "EXPR"}) r.protocols.push_back({type, host_of(ews_url), ews_url, ews_url, ews_url});
  return r;
}

// [MS-OXDSCLI] 3.2.5: a redirect or an error when the story says so, the
// settings of a known mailbox, else Error 500 (the code and text Exchange uses
// for an address it does not host).
autodiscover::pox_response pox_for(std::string_view email, const std::string& ews_url, const ews_responder_options& o) {
  if (const auto it = o.autodiscover_overrides.find(lower_ascii(email)); it != o.autodiscover_overrides.end())
    return it->second;
  if (const ews_mailbox* m = mailbox_by_email(email, o)) return mailbox_settings(*m, ews_url);
  return pox_error("500", "The email address can't be found.");
}

} // namespace

// Exchange answers a GET (a browser, a health check) and a body that is no
// Autodiscover request with HTTP 200 and Error 600 "Invalid Request".
ews_http_response pox_answer(const ews_http_request& request, const ews_responder_options& o) {
  if (request.method == "GET") return xml_answer(200, build_pox_response(pox_error("600", "Invalid Request")));
  if (request.method != "POST") return method_not_allowed();
  const auto asked = autodiscover::parse_pox_request(request.body);
  if (!asked) return xml_answer(200, build_pox_response(pox_error("600", "Invalid Request")));
  return xml_answer(200, build_pox_response(pox_for(*asked.value, ews_url_for(request, o), o)));
}

namespace {

// ---- Autodiscover SOAP ([MS-OXWSADISC]) ----------------------------------------------

// The value of one setting Exchange would hand out for `m`; nullopt for a
// setting this responder does not know (Exchange lists those under
// UserSettingErrors, which the builder does not write; they are left out).
std::optional<std::string> setting_value(std::string_view name, std::string_view ews_url, std::string_view display_name) {
  if (iequals_ascii(name, "ExternalEwsUrl") || iequals_ascii(name, "InternalEwsUrl")) return std::string(ews_url);
  if (iequals_ascii(name, "UserDisplayName")) return std::string(display_name);
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> requested_settings(const std::vector<std::string>& asked,
                                                                    std::string_view ews_url,
                                                                    std::string_view display_name) {
  static const std::vector<std::string> everything{"ExternalEwsUrl", "InternalEwsUrl", "UserDisplayName"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& name : asked.empty() ? everything : asked)
    if (auto value = setting_value(name, ews_url, display_name)) out.emplace_back(name, std::move(*value));
  return out;
}

// An override in SOAP terms: RedirectAddress / RedirectUrl with RedirectTarget,
// InvalidUser for a "can't be found" error, settings as NoError.
autodiscover::soap_response soap_override(const autodiscover::pox_response& p, const std::vector<std::string>& asked) {
  autodiscover::soap_response r;
  using kind = autodiscover::pox_response::kind;
  switch (p.what) {
  case kind::redirect_addr:
    r.error_code = "RedirectAddress";
    r.error_message = "Redirection address.";
    r.redirect_target = p.redirect;
    break;
  case kind::redirect_url:
    r.error_code = "RedirectUrl";
    r.error_message = "Redirection URL.";
    r.redirect_target = p.redirect;
    break;
  case kind::error:
    r.error_code = p.error_code == "500" ? "InvalidUser" : "InternalServerError";
    r.error_message = p.error_message;
    break;
  case kind::settings:
    r.error_code = "NoError";
    r.settings = requested_settings(asked, p.ews_url(), p.display_name);
    break;
  }
  return r;
}

autodiscover::soap_response soap_for(const autodiscover::soap_request_parsed& asked, const std::string& ews_url,
                                     const ews_responder_options& o) {
  if (const auto it = o.autodiscover_overrides.find(lower_ascii(asked.email)); it != o.autodiscover_overrides.end())
    return soap_override(it->second, asked.settings);
  autodiscover::soap_response r;
  if (const ews_mailbox* m = mailbox_by_email(asked.email, o)) {
    r.error_code = "NoError";
    r.settings = requested_settings(asked.settings, ews_url, m->display_name);
  } else {
    r.error_code = "InvalidUser";
    r.error_message = "Invalid user: '" + asked.email + "'"; // Exchange's wording
  }
  return r;
}

} // namespace

ews_http_response soap_answer(const ews_http_request& request, const ews_responder_options& o) {
  if (request.method != "POST") return method_not_allowed();
  const auto asked = autodiscover::parse_soap_request(request.body);
  if (!asked) {
    autodiscover::soap_response invalid; // the whole request is wrong: Response/ErrorCode
    invalid.response_error_code = "InvalidRequest";
    invalid.response_error_message = "The request is invalid.";
    return xml_answer(200, build_soap_response(invalid));
  }
  return xml_answer(200, build_soap_response(soap_for(*asked.value, ews_url_for(request, o), o)));
}

namespace {

// ---- EWS ----------------------------------------------------------------------------

// GetUserOofSettings: a user reads their own OOF; another mailbox is
// ErrorAccessDenied (no delegate rights here), an unknown one
// ErrorNonExistentMailbox, both as ResponseClass Error with HTTP 200.
ews::response oof_result(std::string_view mailbox, const ews_mailbox& who, const ews_responder_options& o) {
  ews::response r;
  if (iequals_ascii(mailbox, who.email)) {
    r.response_class = "Success";
    r.response_code = "NoError";
  } else if (mailbox_by_email(mailbox, o)) {
    r.response_class = "Error";
    r.response_code = "ErrorAccessDenied";
    r.message_text = "Access is denied. Check credentials and try again.";
  } else {
    r.response_class = "Error";
    r.response_code = "ErrorNonExistentMailbox";
    r.message_text = "The SMTP address has no mailbox associated with it.";
  }
  return r;
}

} // namespace

ews_http_response ews_service_answer(const ews_http_request& request, const ews_mailbox& who,
                                     const ews_responder_options& o) {
  if (request.method != "POST") return method_not_allowed();
  const auto asked = ews::parse_request(request.body);
  // A body EWS cannot read is a SOAP Fault with HTTP 500, as EWS answers it.
  if (!asked)
    return xml_answer(500, ews::build_soap_fault("a:ErrorSchemaValidation", "The request failed schema validation."));
  ews::response r;
  if (asked.value->op == ews::operation::get_user_oof_settings) {
    r = oof_result(asked.value->mailbox, who, o);
  } else {
    r.response_class = "Success";
    r.response_code = "NoError";
  }
  r.version = o.version;
  return xml_answer(200, ews::build_response(asked.value->op, r));
}

} // namespace edgeprobe::ews_responder
