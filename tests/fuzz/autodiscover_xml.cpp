// libFuzzer entry for the Autodiscover (POX, SOAP) and EWS XML codecs: any
// body must parse or fail cleanly as each of the six messages (POX, SOAP and
// EWS requests and responses); whatever parses must be bounded (fields of at
// most xml::max_field bytes, at most xml::max_items protocols or settings) and
// must build and parse again to the same value.
#include "probes/ews/autodiscover_xml.hpp"
#include "probes/ews/ews_soap.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace edgeprobe;

void require(bool invariant) {
  if (!invariant) std::abort();
}

bool bounded(std::string_view field) { return field.size() <= xml::max_field; }

template <class T>
void require_error_when_empty(const xml::parsed<T>& p) {
  require(p.value.has_value() || !p.error.what.empty()); // a failure always says why
}

void check_pox_request(std::string_view body) {
  const auto email = autodiscover::parse_pox_request(body);
  require_error_when_empty(email);
  if (!email) return;
  require(!email.value->empty() && bounded(*email.value));
  const auto again = autodiscover::parse_pox_request(autodiscover::pox_request(*email.value));
  require(again && *again.value == *email.value);
}

void check_pox_response(std::string_view body) {
  const auto parsed = autodiscover::parse_pox_response(body);
  require_error_when_empty(parsed);
  if (!parsed) return;
  const autodiscover::pox_response& r = *parsed.value;
  require(bounded(r.redirect) && bounded(r.display_name) && bounded(r.error_code) && bounded(r.error_message));
  require(r.protocols.size() <= xml::max_items);
  for (const auto& p : r.protocols)
    require(bounded(p.type) && bounded(p.server) && bounded(p.ews_url) && bounded(p.as_url) && bounded(p.oof_url));
  const bool redirect = r.what == autodiscover::pox_response::kind::redirect_addr ||
                        r.what == autodiscover::pox_response::kind::redirect_url;
  require(redirect == !r.redirect.empty());
  const auto again = autodiscover::parse_pox_response(autodiscover::build_pox_response(r));
  require(again && *again.value == r);
}

void check_soap_request(std::string_view body) {
  const auto parsed = autodiscover::parse_soap_request(body);
  require_error_when_empty(parsed);
  if (!parsed) return;
  const autodiscover::soap_request_parsed& r = *parsed.value;
  require(!r.email.empty() && bounded(r.email) && r.settings.size() <= xml::max_items);
  for (const auto& s : r.settings) require(bounded(s));
  const auto again =
      autodiscover::parse_soap_request(autodiscover::soap_request(r.email, "https://example.com/x.svc", r.settings));
  require(again && *again.value == r);
}

void check_soap_response(std::string_view body) {
  const auto parsed = autodiscover::parse_soap_response(body);
  require_error_when_empty(parsed);
  if (!parsed) return;
  autodiscover::soap_response r = *parsed.value;
  require(bounded(r.response_error_code) && bounded(r.response_error_message) && bounded(r.error_code) &&
          bounded(r.error_message) && bounded(r.redirect_target) && r.settings.size() <= xml::max_items);
  for (const auto& [name, value] : r.settings) require(bounded(name) && bounded(value));
  const auto again = autodiscover::parse_soap_response(autodiscover::build_soap_response(r));
  if (r.response_error_code.empty()) r.response_error_code = "NoError"; // what the builder writes for none
  require(again && *again.value == r);
}

void check_ews_request(std::string_view body) {
  const auto parsed = ews::parse_request(body);
  require_error_when_empty(parsed);
  if (!parsed) return;
  const ews::request_parsed& r = *parsed.value;
  require(bounded(r.mailbox) && (r.op == ews::operation::get_folder) == r.mailbox.empty());
  const auto again = ews::parse_request(ews::request(r.op, r.mailbox));
  require(again && *again.value == r);
}

void check_ews_response(std::string_view body) {
  const auto parsed = ews::parse_response(body);
  require_error_when_empty(parsed);
  if (!parsed) return;
  const ews::response& r = *parsed.value;
  require(bounded(r.fault_code) && bounded(r.fault_string) && bounded(r.response_class) && bounded(r.response_code) &&
          bounded(r.message_text));
  if (r.version) require(r.version->major >= 0 && r.version->minor >= 0 && r.version->major_build >= 0 &&
                         r.version->minor_build >= 0 && bounded(r.version->version));
  if (!r.fault) require(!r.response_class.empty());
  for (const auto op : {ews::operation::get_folder, ews::operation::get_user_oof_settings}) {
    const auto again = ews::parse_response(ews::build_response(op, r));
    require(again.value.has_value());
    if (r.fault) {
      // A fault is rebuilt from its code and string alone (no header, no detail of its own).
      require(again.value->fault && again.value->fault_code == r.fault_code && again.value->fault_string == r.fault_string);
    } else {
      require(*again.value == r);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_pox_request(body);
  check_pox_response(body);
  check_soap_request(body);
  check_soap_response(body);
  check_ews_request(body);
  check_ews_response(body);
  return 0;
}
