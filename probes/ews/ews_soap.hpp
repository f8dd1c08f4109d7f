// Exchange Web Services SOAP 1.1 bodies for a reachability check, both sides:
// POST https://HOST/EWS/Exchange.asmx, text/xml; charset=utf-8, carrying either
// GetFolder (the distinguished folder "inbox", BaseShape IdOnly) or
// GetUserOofSettingsRequest (Mailbox/Address). The answer is a response
// message with ResponseClass (Success, Warning, Error), ResponseCode (NoError,
// ErrorNonExistentMailbox, ErrorAccessDenied, ...) and MessageText, under a
// SOAP header ServerVersionInfo; or a SOAP Fault (faultcode, faultstring, and
// for EWS a detail with ResponseCode and Message). Element and attribute names
// follow the EWS reference (messages and types namespaces, Messages.xsd and
// Types.xsd). Pure functions over strings, no I/O, nothing throws.
#pragma once
#include "probes/ews/xml_util.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe::ews {

using xml::parsed;

inline constexpr std::string_view soap_envelope_namespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view messages_namespace = "http://schemas.microsoft.com/exchange/services/2006/messages";
inline constexpr std::string_view types_namespace = "http://schemas.microsoft.com/exchange/services/2006/types";
inline constexpr std::string_view errors_namespace = "http://schemas.microsoft.com/exchange/services/2006/errors";

enum class operation { get_folder, get_user_oof_settings };

// The request body. `mailbox` is used by GetUserOofSettings only;
// `server_version` goes into the RequestServerVersion header.
std::string request(operation op, std::string_view mailbox, std::string_view server_version = "Exchange2010_SP2");

// Responder side: which operation a request body asks for (and, for
// GetUserOofSettings, the Mailbox/Address, which it requires).
struct request_parsed {
  operation op = operation::get_folder;
  std::string mailbox;
  friend bool operator==(const request_parsed&, const request_parsed&) = default;
};
parsed<request_parsed> parse_request(std::string_view body);

// ServerVersionInfo: four numbers and, from Exchange 2010 SP2 on, a Version name.
struct server_version {
  int major = 0, minor = 0, major_build = 0, minor_build = 0;
  std::string version;
  // "15.1.2507.6 (V2017_07_11)", or "8.0.685.8" without a Version name.
  std::string text() const;
  friend bool operator==(const server_version&, const server_version&) = default;
};

struct response {
  bool fault = false;
  std::string fault_code, fault_string; // fault: verbatim, e.g. "a:ErrorInvalidRequest" or "soap:Client"
  // Not a fault: the first response message's ResponseClass, ResponseCode and
  // MessageText. A fault with an EWS detail fills response_code and
  // message_text from detail/ResponseCode and detail/Message.
  std::string response_class, response_code, message_text;
  std::optional<server_version> version; // the SOAP header's ServerVersionInfo, when present
  friend bool operator==(const response&, const response&) = default;
};

parsed<response> parse_response(std::string_view body);

// Responder side: the answer to `op` with r's ResponseClass, ResponseCode,
// MessageText and version (a fault when r.fault: build_soap_fault). A Success
// answer carries a minimal result (an Inbox folder; Disabled OOF settings).
std::string build_response(operation op, const response& r);

// A SOAP 1.1 Fault. `code` is written verbatim as faultcode; an EWS code given
// as "a:ErrorX" gets the types namespace bound to "a" and an EWS detail
// (ResponseCode ErrorX, Message `text`), as Exchange writes them.
std::string build_soap_fault(std::string_view code, std::string_view text);

} // namespace edgeprobe::ews
