// Exchange Autodiscover bodies, both flavours, both sides:
//  - POX ([MS-OXDSCLI]): POST https://HOST/autodiscover/autodiscover.xml, text/xml,
//    an <Autodiscover><Request> with the EMailAddress; the answer's Account/Action
//    is settings (Protocol entries with EwsUrl/ASUrl/OOFUrl), redirectAddr or
//    redirectUrl, or the Response carries an <Error>.
//  - SOAP ([MS-OXWSADISC]): POST .../autodiscover/autodiscover.svc, SOAP 1.1,
//    GetUserSettings for one mailbox and a list of setting names; the answer's
//    UserResponse carries ErrorCode, RedirectTarget and Name/Value UserSettings.
// Request builders and response parsers for the probe, request parsers and
// response builders for the responder. Pure functions over strings, no I/O;
// parsers never throw and bound what they accept (see xml_util.hpp).
#pragma once
#include "probes/ews/xml_util.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeprobe::autodiscover {

using xml::parsed;

// [MS-OXDSCLI] 2.2.3 / 2.2.4: the request namespace, the response root's, and
// the Outlook response schema the client asks for (AcceptableResponseSchema).
inline constexpr std::string_view pox_request_namespace =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
inline constexpr std::string_view pox_response_namespace =
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
inline constexpr std::string_view pox_outlook_response_schema =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

// [MS-OXWSADISC]: the Autodiscover service namespace and the SOAP action of GetUserSettings.
inline constexpr std::string_view soap_namespace = "http://schemas.microsoft.com/exchange/2010/Autodiscover";
inline constexpr std::string_view get_user_settings_action =
    "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings";

// ---- POX ----

// The request body for `email` (escaped by pugixml; see xml::serialize).
std::string pox_request(std::string_view email);

// Responder side: the EMailAddress a POX request asks about. A request that
// names the mailbox only by LegacyDN is refused (edgeprobe answers by address).
parsed<std::string> parse_pox_request(std::string_view body);

// One Account/Protocol of a settings answer ([MS-OXDSCLI] 2.2.4.1.1.2.6). The
// type comes from the <Type> child, or from the Type attribute of the
// mapiHttp form (<Protocol Type="mapiHttp" Version="1">).
struct protocol_settings {
  std::string type, server, ews_url, as_url, oof_url;
  friend bool operator==(const protocol_settings&, const protocol_settings&) = default;
};

struct pox_response {
  enum class kind { settings, redirect_addr, redirect_url, error };
  kind what = kind::settings;
  std::string redirect;      // redirect_addr: the address; redirect_url: the URL
  std::string display_name;  // settings: User/DisplayName
  std::vector<protocol_settings> protocols; // settings: Account's direct Protocol children
  std::string error_code, error_message;    // error: Error/ErrorCode and Error/Message

  // The EWS URL a client should use: the first Protocol of type EXCH, then
  // EXPR, then WEB, then any other, that has an EwsUrl or else an ASUrl (the
  // Exchange 2007 answers carry only ASUrl, which Microsoft's POX reference
  // says to bind EWS to). "" when none has either.
  std::string ews_url() const;

  friend bool operator==(const pox_response&, const pox_response&) = default;
};

parsed<pox_response> parse_pox_response(std::string_view body);

// Responder side: the answer for `r`, in the shape Exchange sends. An error
// answer puts <Error> (with ErrorCode, Message, DebugData) directly under a
// <Response> in the responseschema/2006 namespace, as Microsoft's example does.
std::string build_pox_response(const pox_response& r);

// ---- SOAP (GetUserSettings) ----

// A GetUserSettings request for `email`, addressed (wsa:To) to `url`, asking
// for `settings` (e.g. ExternalEwsUrl, InternalEwsUrl, UserDisplayName).
std::string soap_request(std::string_view email, std::string_view url, std::span<const std::string> settings);

struct soap_request_parsed {
  std::string email;                 // the first User's Mailbox
  std::vector<std::string> settings; // RequestedSettings/Setting, in order
  friend bool operator==(const soap_request_parsed&, const soap_request_parsed&) = default;
};

parsed<soap_request_parsed> parse_soap_request(std::string_view body);

struct soap_response {
  // Response/ErrorCode and ErrorMessage: about the whole request (e.g. InvalidRequest).
  std::string response_error_code, response_error_message;
  // The first UserResponse: NoError, RedirectAddress, RedirectUrl, InvalidUser, ...
  std::string error_code, error_message, redirect_target;
  std::vector<std::pair<std::string, std::string>> settings; // UserSettings Name/Value, in order

  // The value of ExternalEwsUrl, else of InternalEwsUrl, else "".
  std::string ews_url() const;
  // The value of the setting called `name`, else "".
  std::string setting(std::string_view name) const;

  friend bool operator==(const soap_response&, const soap_response&) = default;
};

// A SOAP Fault in the Body is an error here ("SOAP Fault a:ErrorX: text").
parsed<soap_response> parse_soap_response(std::string_view body);

// Responder side. An empty response_error_code is written as NoError.
std::string build_soap_response(const soap_response& r);

} // namespace edgeprobe::autodiscover
