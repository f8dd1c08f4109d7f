// What the Exchange responder's parts share: IIS's canned answers (404, 405,
// the 401 listing the enabled providers), the mailbox an address names, and
// the EwsUrl handed out. Internal to the responder.
#pragma once
#include "probes/ews/responder.hpp"

#include <string>
#include <string_view>

namespace edgeprobe::ews_responder {

ews_http_response xml_answer(unsigned status, std::string body);
ews_http_response text_answer(unsigned status, std::string body);
ews_http_response not_found();
ews_http_response method_not_allowed();
// IIS's 401: one WWW-Authenticate per enabled provider, in provider order. The
// same answer for no credentials, unknown user and wrong password, so a
// refusal never tells which part was wrong.
ews_http_response unauthorized(const ews_responder_options& o);

// The mailbox whose address is `email` (without regard to case), or null.
const ews_mailbox* mailbox_by_email(std::string_view email, const ews_responder_options& o);

// "https://host:port/path" -> "host" (what a Protocol's Server names).
std::string host_of(std::string_view url);

// The EwsUrl to hand out: the configured one, else the HTTPS URL of the host
// the client asked for. A Host with anything but host-name, address and port
// characters is not used (it would end up inside the answer).
std::string ews_url_for(const ews_http_request& request, const ews_responder_options& o);

} // namespace edgeprobe::ews_responder
