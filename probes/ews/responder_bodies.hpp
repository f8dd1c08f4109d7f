// The Exchange responder's answers once a request is routed (and, where it
// must be, authenticated): Autodiscover POX ([MS-OXDSCLI]), Autodiscover SOAP
// ([MS-OXWSADISC]) and EWS ([MS-OXWSCORE] GetFolder, GetUserOofSettings).
// Internal to the responder.
#pragma once
#include "probes/ews/responder.hpp"

namespace edgeprobe::ews_responder {

ews_http_response pox_answer(const ews_http_request& request, const ews_responder_options& o);
ews_http_response soap_answer(const ews_http_request& request, const ews_responder_options& o);
// `who`: the mailbox the request authenticated as.
ews_http_response ews_service_answer(const ews_http_request& request, const ews_mailbox& who,
                                     const ews_responder_options& o);

} // namespace edgeprobe::ews_responder
