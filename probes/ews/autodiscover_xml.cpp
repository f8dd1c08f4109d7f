// Autodiscover POX ([MS-OXDSCLI] 2.2.3, 2.2.4) and SOAP GetUserSettings
// ([MS-OXWSADISC] 3.1.4.3) bodies: builders and parsers for both sides (see
// autodiscover_xml.hpp). Elements are found by local name: servers and
// Microsoft's own examples vary the prefixes (s:, soap:, a:, none) and even
// the namespace URIs (http:// and https://).
#include "probes/ews/autodiscover_xml.hpp"

#include "wire/ascii.hpp"

#include <array>

namespace edgeprobe::autodiscover {

namespace {

constexpr std::string_view addressing_namespace = "http://www.w3.org/2005/08/addressing";
constexpr std::string_view instance_namespace = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::string_view envelope_namespace = "http://schemas.xmlsoap.org/soap/envelope/";

void set_attribute(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(std::string(value).c_str());
}

// "" when the document's root is called `name`, else what it is instead.
std::string expect_root(const pugi::xml_document& doc, std::string_view name) {
  const pugi::xml_node root = doc.document_element();
  if (xml::named(root, name)) return {};
  return "root is " + xml::describe(root) + ", not <" + std::string(name) + ">";
}

std::string missing(std::string_view element, pugi::xml_node parent) {
  return "no <" + std::string(element) + "> in " + xml::describe(parent);
}

// Copies identifiers (addresses, URLs, codes) out of a document, remembering
// the first one that was too long to take.
struct field_reader {
  std::string error;

  std::string identifier(pugi::xml_node node) {
    auto text = xml::identifier_text(node);
    if (text) return std::move(*text);
    if (error.empty())
      error = xml::describe(node) + " is longer than " + std::to_string(xml::max_field) + " bytes";
    return {};
  }
  std::string identifier(pugi::xml_node node, std::string_view attribute) {
    const pugi::xml_attribute a = xml::attribute(node, attribute);
    auto text = xml::identifier_text(a);
    if (text) return std::move(*text);
    if (error.empty())
      error = "attribute " + std::string(attribute) + " of " + xml::describe(node) + " is longer than " +
              std::to_string(xml::max_field) + " bytes";
    return {};
  }
};

// ---- POX response ----

protocol_settings read_protocol(pugi::xml_node protocol, field_reader& read) {
  protocol_settings p;
  const pugi::xml_node type = xml::child(protocol, "Type");
  p.type = type ? read.identifier(type) : read.identifier(protocol, "Type");
  p.server = read.identifier(xml::child(protocol, "Server"));
  p.ews_url = read.identifier(xml::child(protocol, "EwsUrl"));
  p.as_url = read.identifier(xml::child(protocol, "ASUrl"));
  p.oof_url = read.identifier(xml::child(protocol, "OOFUrl"));
  return p;
}

// Account's direct Protocol children; the ones nested in a WEB protocol's
// Internal/External blocks describe OWA's view and are left out.
parsed<pox_response> read_settings(pugi::xml_node response, pugi::xml_node account) {
  pox_response r;
  r.what = pox_response::kind::settings;
  r.display_name = xml::message_text(xml::child(xml::child(response, "User"), "DisplayName"));
  field_reader read;
  for (const pugi::xml_node node : account.children()) {
    if (!xml::named(node, "Protocol")) continue;
    if (r.protocols.size() == xml::max_items)
      return xml::failure<pox_response>("more than " + std::to_string(xml::max_items) + " <Protocol> in <Account>");
    r.protocols.push_back(read_protocol(node, read));
  }
  if (!read.error.empty()) return xml::failure<pox_response>(read.error);
  return xml::success(std::move(r));
}

parsed<pox_response> read_redirect(pugi::xml_node account, pox_response::kind kind, std::string_view element) {
  field_reader read;
  pox_response r;
  r.what = kind;
  r.redirect = read.identifier(xml::child(account, element));
  if (!read.error.empty()) return xml::failure<pox_response>(read.error);
  if (r.redirect.empty())
    return xml::failure<pox_response>("Action asks for a redirect but <" + std::string(element) +
                                      "> is missing or empty");
  return xml::success(std::move(r));
}

parsed<pox_response> read_error(pugi::xml_node error) {
  field_reader read;
  pox_response r;
  r.what = pox_response::kind::error;
  r.error_code = read.identifier(xml::child(error, "ErrorCode"));
  r.error_message = xml::message_text(xml::child(error, "Message"));
  if (!read.error.empty()) return xml::failure<pox_response>(read.error);
  return xml::success(std::move(r));
}

int protocol_rank(std::string_view type) {
  constexpr std::array<std::string_view, 3> preferred{"EXCH", "EXPR", "WEB"};
  for (std::size_t i = 0; i < preferred.size(); ++i)
    if (iequals_ascii(type, preferred[i])) return static_cast<int>(i);
  return static_cast<int>(preferred.size());
}

const char* action_name(pox_response::kind kind) {
  switch (kind) {
  case pox_response::kind::redirect_addr: return "redirectAddr";
  case pox_response::kind::redirect_url: return "redirectUrl";
  default: return "settings";
  }
}

void append_protocol(pugi::xml_node account, const protocol_settings& p) {
  pugi::xml_node protocol = account.append_child("Protocol");
  const std::array<std::pair<const char*, const std::string*>, 5> fields{{
      {"Type", &p.type}, {"Server", &p.server}, {"EwsUrl", &p.ews_url}, {"ASUrl", &p.as_url}, {"OOFUrl", &p.oof_url}}};
  for (const auto& [name, value] : fields)
    if (!value->empty()) xml::append_text(protocol, name, *value);
}

// ---- SOAP ----

std::string fault_summary(pugi::xml_node fault) {
  return "SOAP Fault " + xml::message_text(xml::child(fault, "faultcode")) + ": " +
         xml::message_text(xml::child(fault, "faultstring"));
}

// RedirectTarget with i:nil="true" is the schema's way of saying "none".
std::string read_redirect_target(pugi::xml_node target, field_reader& read) {
  if (iequals_ascii(xml::attribute(target, "nil").value(), "true")) return {};
  return read.identifier(target);
}

std::string read_user_settings(pugi::xml_node user_settings, soap_response& r, field_reader& read) {
  for (const pugi::xml_node node : user_settings.children()) {
    if (!xml::named(node, "UserSetting")) continue;
    if (r.settings.size() == xml::max_items)
      return "more than " + std::to_string(xml::max_items) + " <UserSetting> in <UserSettings>";
    r.settings.emplace_back(read.identifier(xml::child(node, "Name")), read.identifier(xml::child(node, "Value")));
  }
  return {};
}

bool is_redirect(std::string_view code) {
  return iequals_ascii(code, "RedirectAddress") || iequals_ascii(code, "RedirectUrl");
}

} // namespace

// ---- POX ----

std::string pox_request(std::string_view email) {
  pugi::xml_document doc;
  xml::add_declaration(doc);
  pugi::xml_node root = doc.append_child("Autodiscover");
  set_attribute(root, "xmlns", pox_request_namespace);
  pugi::xml_node request = root.append_child("Request");
  xml::append_text(request, "EMailAddress", email);
  xml::append_text(request, "AcceptableResponseSchema", pox_outlook_response_schema);
  return xml::serialize(doc);
}

parsed<std::string> parse_pox_request(std::string_view body) {
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "an Autodiscover request"); !error.empty())
    return xml::failure<std::string>(std::move(error));
  if (auto error = expect_root(doc, "Autodiscover"); !error.empty()) return xml::failure<std::string>(std::move(error));
  const pugi::xml_node request = xml::child(doc.document_element(), "Request");
  if (!request) return xml::failure<std::string>(missing("Request", doc.document_element()));
  const pugi::xml_node address = xml::child(request, "EMailAddress");
  if (!address) {
    if (xml::child(request, "LegacyDN"))
      return xml::failure<std::string>("the request names the mailbox by <LegacyDN> only, not by <EMailAddress>");
    return xml::failure<std::string>(missing("EMailAddress", request));
  }
  field_reader read;
  std::string email = read.identifier(address);
  if (!read.error.empty()) return xml::failure<std::string>(read.error);
  if (email.empty()) return xml::failure<std::string>("<EMailAddress> is empty");
  return xml::success(std::move(email));
}

std::string pox_response::ews_url() const {
  for (int rank = 0; rank <= 3; ++rank)
    for (const protocol_settings& p : protocols) {
      if (protocol_rank(p.type) != rank) continue;
      if (!p.ews_url.empty()) return p.ews_url;
      if (!p.as_url.empty()) return p.as_url;
    }
  return {};
}

parsed<pox_response> parse_pox_response(std::string_view body) {
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "an Autodiscover response"); !error.empty())
    return xml::failure<pox_response>(std::move(error));
  if (auto error = expect_root(doc, "Autodiscover"); !error.empty()) return xml::failure<pox_response>(std::move(error));
  const pugi::xml_node response = xml::child(doc.document_element(), "Response");
  if (!response) return xml::failure<pox_response>(missing("Response", doc.document_element()));

  // Exchange puts <Error> right under <Response> (Microsoft's error example);
  // [MS-OXDSCLI] and the POX reference also allow it under <Account>.
  const pugi::xml_node account = xml::child(response, "Account");
  if (const pugi::xml_node error = xml::child(response, "Error")) return read_error(error);
  if (const pugi::xml_node error = xml::child(account, "Error")) return read_error(error);
  if (!account) return xml::failure<pox_response>("no <Account> or <Error> in <Response>");

  const pugi::xml_node action = xml::child(account, "Action");
  if (!action) return xml::failure<pox_response>(missing("Action", account));
  const std::string value = xml::message_text(action);
  if (iequals_ascii(value, "settings")) return read_settings(response, account);
  if (iequals_ascii(value, "redirectAddr"))
    return read_redirect(account, pox_response::kind::redirect_addr, "RedirectAddr");
  if (iequals_ascii(value, "redirectUrl"))
    return read_redirect(account, pox_response::kind::redirect_url, "RedirectUrl");
  return xml::failure<pox_response>("Action is '" + value.substr(0, 64) + "', not settings, redirectAddr or redirectUrl");
}

std::string build_pox_response(const pox_response& r) {
  pugi::xml_document doc;
  xml::add_declaration(doc);
  pugi::xml_node root = doc.append_child("Autodiscover");
  set_attribute(root, "xmlns", pox_response_namespace);
  pugi::xml_node response = root.append_child("Response");

  if (r.what == pox_response::kind::error) {
    set_attribute(response, "xmlns", pox_response_namespace);
    pugi::xml_node error = response.append_child("Error");
    xml::append_text(error, "ErrorCode", r.error_code);
    xml::append_text(error, "Message", r.error_message);
    error.append_child("DebugData");
    return xml::serialize(doc);
  }

  set_attribute(response, "xmlns", pox_outlook_response_schema);
  if (r.what == pox_response::kind::settings && !r.display_name.empty())
    xml::append_text(response.append_child("User"), "DisplayName", r.display_name);
  pugi::xml_node account = response.append_child("Account");
  xml::append_text(account, "AccountType", "email");
  xml::append_text(account, "Action", action_name(r.what));
  if (r.what == pox_response::kind::redirect_addr) xml::append_text(account, "RedirectAddr", r.redirect);
  if (r.what == pox_response::kind::redirect_url) xml::append_text(account, "RedirectUrl", r.redirect);
  if (r.what == pox_response::kind::settings)
    for (const protocol_settings& p : r.protocols) append_protocol(account, p);
  return xml::serialize(doc);
}

// ---- SOAP ----

std::string soap_request(std::string_view email, std::string_view url, std::span<const std::string> settings) {
  pugi::xml_document doc;
  xml::add_declaration(doc);
  pugi::xml_node envelope = doc.append_child("soap:Envelope");
  set_attribute(envelope, "xmlns:a", soap_namespace);
  set_attribute(envelope, "xmlns:wsa", addressing_namespace);
  set_attribute(envelope, "xmlns:xsi", instance_namespace);
  set_attribute(envelope, "xmlns:soap", envelope_namespace);

  // [MS-OXWSADISC] 2.2.4: the version the client speaks, the action, and the endpoint.
  pugi::xml_node header = envelope.append_child("soap:Header");
  xml::append_text(header, "a:RequestedServerVersion", "Exchange2010");
  xml::append_text(header, "wsa:Action", get_user_settings_action);
  xml::append_text(header, "wsa:To", url);

  pugi::xml_node request =
      envelope.append_child("soap:Body").append_child("a:GetUserSettingsRequestMessage").append_child("a:Request");
  xml::append_text(request.append_child("a:Users").append_child("a:User"), "a:Mailbox", email);
  pugi::xml_node requested = request.append_child("a:RequestedSettings");
  for (const std::string& setting : settings) xml::append_text(requested, "a:Setting", setting);
  return xml::serialize(doc);
}

parsed<soap_request_parsed> parse_soap_request(std::string_view body) {
  using result = soap_request_parsed;
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "a SOAP Autodiscover request"); !error.empty())
    return xml::failure<result>(std::move(error));
  if (auto error = expect_root(doc, "Envelope"); !error.empty()) return xml::failure<result>(std::move(error));
  const pugi::xml_node soap_body = xml::child(doc.document_element(), "Body");
  if (!soap_body) return xml::failure<result>(missing("Body", doc.document_element()));
  const pugi::xml_node message = xml::first_element(soap_body);
  if (!xml::named(message, "GetUserSettingsRequestMessage"))
    return xml::failure<result>(message ? "Body carries " + xml::describe(message) + ", not <GetUserSettingsRequestMessage>"
                                        : "empty <Body>, not a GetUserSettings request");
  const pugi::xml_node request = xml::child(message, "Request");
  if (!request) return xml::failure<result>(missing("Request", message));

  field_reader read;
  soap_request_parsed r;
  const pugi::xml_node mailbox = xml::child(xml::child(xml::child(request, "Users"), "User"), "Mailbox");
  if (!mailbox) return xml::failure<result>("no <Users><User><Mailbox> in <Request>");
  r.email = read.identifier(mailbox);
  for (const pugi::xml_node node : xml::child(request, "RequestedSettings").children()) {
    if (!xml::named(node, "Setting")) continue;
    if (r.settings.size() == xml::max_items)
      return xml::failure<result>("more than " + std::to_string(xml::max_items) + " <Setting> in <RequestedSettings>");
    r.settings.push_back(read.identifier(node));
  }
  if (!read.error.empty()) return xml::failure<result>(read.error);
  if (r.email.empty()) return xml::failure<result>("<Mailbox> is empty");
  return xml::success(std::move(r));
}

std::string soap_response::setting(std::string_view name) const {
  for (const auto& [key, value] : settings)
    if (key == name) return value;
  return {};
}

std::string soap_response::ews_url() const {
  if (auto external = setting("ExternalEwsUrl"); !external.empty()) return external;
  return setting("InternalEwsUrl");
}

parsed<soap_response> parse_soap_response(std::string_view body) {
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "a SOAP Autodiscover response"); !error.empty())
    return xml::failure<soap_response>(std::move(error));
  if (auto error = expect_root(doc, "Envelope"); !error.empty()) return xml::failure<soap_response>(std::move(error));
  const pugi::xml_node soap_body = xml::child(doc.document_element(), "Body");
  if (!soap_body) return xml::failure<soap_response>(missing("Body", doc.document_element()));
  if (const pugi::xml_node fault = xml::child(soap_body, "Fault")) return xml::failure<soap_response>(fault_summary(fault));
  const pugi::xml_node message = xml::child(soap_body, "GetUserSettingsResponseMessage");
  if (!message) {
    const pugi::xml_node found = xml::first_element(soap_body);
    return xml::failure<soap_response>(found ? "Body carries " + xml::describe(found) + ", not <GetUserSettingsResponseMessage>"
                                             : "empty <Body>, not a GetUserSettings response");
  }
  const pugi::xml_node response = xml::child(message, "Response");
  if (!response) return xml::failure<soap_response>(missing("Response", message));

  field_reader read;
  soap_response r;
  const pugi::xml_node response_code = xml::child(response, "ErrorCode");
  r.response_error_code = read.identifier(response_code);
  r.response_error_message = xml::message_text(xml::child(response, "ErrorMessage"));
  const pugi::xml_node user = xml::child(xml::child(response, "UserResponses"), "UserResponse");
  if (!user && !response_code) return xml::failure<soap_response>("no <UserResponse> and no <ErrorCode> in <Response>");
  if (user) {
    r.error_code = read.identifier(xml::child(user, "ErrorCode"));
    r.error_message = xml::message_text(xml::child(user, "ErrorMessage"));
    r.redirect_target = read_redirect_target(xml::child(user, "RedirectTarget"), read);
    if (auto error = read_user_settings(xml::child(user, "UserSettings"), r, read); !error.empty())
      return xml::failure<soap_response>(std::move(error));
  }
  if (!read.error.empty()) return xml::failure<soap_response>(read.error);
  if (is_redirect(r.error_code) && r.redirect_target.empty())
    return xml::failure<soap_response>("ErrorCode " + r.error_code + " without a <RedirectTarget>");
  return xml::success(std::move(r));
}

std::string build_soap_response(const soap_response& r) {
  pugi::xml_document doc;
  xml::add_declaration(doc);
  pugi::xml_node envelope = doc.append_child("s:Envelope");
  set_attribute(envelope, "xmlns:s", envelope_namespace);
  set_attribute(envelope, "xmlns:a", addressing_namespace);
  pugi::xml_node action =
      xml::append_text(envelope.append_child("s:Header"), "a:Action", std::string(get_user_settings_action) + "Response");
  set_attribute(action, "s:mustUnderstand", "1");

  pugi::xml_node message = envelope.append_child("s:Body").append_child("GetUserSettingsResponseMessage");
  set_attribute(message, "xmlns", soap_namespace);
  pugi::xml_node response = message.append_child("Response");
  set_attribute(response, "xmlns:i", instance_namespace);
  xml::append_text(response, "ErrorCode", r.response_error_code.empty() ? "NoError" : r.response_error_code);
  xml::append_text(response, "ErrorMessage", r.response_error_message);

  pugi::xml_node user = response.append_child("UserResponses").append_child("UserResponse");
  xml::append_text(user, "ErrorCode", r.error_code);
  xml::append_text(user, "ErrorMessage", r.error_message);
  if (r.redirect_target.empty())
    set_attribute(user.append_child("RedirectTarget"), "i:nil", "true");
  else
    xml::append_text(user, "RedirectTarget", r.redirect_target);
  user.append_child("UserSettingErrors");
  pugi::xml_node settings = user.append_child("UserSettings");
  for (const auto& [name, value] : r.settings) {
    pugi::xml_node setting = settings.append_child("UserSetting");
    set_attribute(setting, "i:type", "StringSetting");
    xml::append_text(setting, "Name", name);
    xml::append_text(setting, "Value", value);
  }
  return xml::serialize(doc);
}

} // namespace edgeprobe::autodiscover
