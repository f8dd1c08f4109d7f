// EWS SOAP bodies for GetFolder and GetUserOofSettings, both sides (see
// ews_soap.hpp). Elements are found by local name: Exchange writes soap: or
// s: for the envelope, m: or a default namespace for messages, t: or h: for
// types, and clients differ again.
#include "probes/ews/ews_soap.hpp"

#include "wire/ascii.hpp"

#include <array>
#include <charconv>

namespace edgeprobe::ews {

namespace {

void set_attribute(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(std::string(value).c_str());
}

// Envelope and Body of a loaded document, or why the document has none.
struct envelope_parts {
  pugi::xml_node envelope, body;
  std::string error;
};

envelope_parts find_envelope(const pugi::xml_document& doc) {
  envelope_parts parts;
  parts.envelope = doc.document_element();
  if (!xml::named(parts.envelope, "Envelope")) {
    parts.error = "root is " + xml::describe(parts.envelope) + ", not a SOAP <Envelope>";
    return parts;
  }
  parts.body = xml::child(parts.envelope, "Body");
  if (!parts.body) parts.error = "no <Body> in " + xml::describe(parts.envelope);
  return parts;
}

// A ServerVersionInfo number: an attribute in EWS answers, a child element in
// SOAP Autodiscover answers. Digits only; nullopt when absent or not a number.
std::optional<int> version_number(pugi::xml_node info, std::string_view name) {
  const pugi::xml_attribute a = xml::attribute(info, name);
  const std::string text = a ? xml::identifier_text(a).value_or("") : xml::identifier_text(xml::child(info, name)).value_or("");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The header's ServerVersionInfo; `error` says why it could not be read.
std::optional<server_version> read_server_version(pugi::xml_node info, std::string& error) {
  server_version v;
  const std::array<std::pair<std::string_view, int*>, 4> numbers{
      {{"MajorVersion", &v.major}, {"MinorVersion", &v.minor}, {"MajorBuildNumber", &v.major_build},
       {"MinorBuildNumber", &v.minor_build}}};
  for (const auto& [name, target] : numbers) {
    const auto number = version_number(info, name);
    if (!number) {
      error = "ServerVersionInfo has no numeric " + std::string(name);
      return std::nullopt;
    }
    *target = *number;
  }
  const pugi::xml_attribute version = xml::attribute(info, "Version");
  auto name = version ? xml::identifier_text(version) : xml::identifier_text(xml::child(info, "Version"));
  if (!name) {
    error = "ServerVersionInfo Version is longer than " + std::to_string(xml::max_field) + " bytes";
    return std::nullopt;
  }
  v.version = std::move(*name);
  return v;
}

// Copies an identifier, noting in `error` when it is too long to take.
std::string identifier(pugi::xml_node node, std::string& error) {
  auto text = xml::identifier_text(node);
  if (text) return std::move(*text);
  if (error.empty()) error = xml::describe(node) + " is longer than " + std::to_string(xml::max_field) + " bytes";
  return {};
}

parsed<response> read_fault(pugi::xml_node fault, response r) {
  std::string error;
  r.fault = true;
  r.fault_code = identifier(xml::child(fault, "faultcode"), error);
  r.fault_string = xml::message_text(xml::child(fault, "faultstring"));
  // EWS faults carry the ResponseCode and Message in the errors namespace.
  const pugi::xml_node detail = xml::child(fault, "detail");
  r.response_code = identifier(xml::child(detail, "ResponseCode"), error);
  r.message_text = xml::message_text(xml::child(detail, "Message"));
  if (!error.empty()) return xml::failure<response>(std::move(error));
  return xml::success(std::move(r));
}

// The first response message: GetFolderResponseMessage, ResponseMessage, ...
// whatever its name, it is the element that carries ResponseClass.
parsed<response> read_response_message(pugi::xml_node body, response r) {
  const pugi::xml_node message = xml::descendant_with_attribute(body, "ResponseClass");
  if (!message) {
    const pugi::xml_node found = xml::first_element(body);
    return xml::failure<response>("no response message (an element with a ResponseClass) in <Body>" +
                                  (found ? ", which carries " + xml::describe(found) : std::string(", which is empty")));
  }
  std::string error;
  auto response_class = xml::identifier_text(xml::attribute(message, "ResponseClass"));
  if (!response_class) return xml::failure<response>("ResponseClass is longer than " + std::to_string(xml::max_field) + " bytes");
  if (response_class->empty()) return xml::failure<response>("ResponseClass of " + xml::describe(message) + " is empty");
  r.response_class = std::move(*response_class);
  r.response_code = identifier(xml::child(message, "ResponseCode"), error);
  r.message_text = xml::message_text(xml::child(message, "MessageText"));
  if (!error.empty()) return xml::failure<response>(std::move(error));
  return xml::success(std::move(r));
}

bool is_success(const response& r) { return iequals_ascii(r.response_class, "Success"); }

// The fields every response message carries ([MS-OXWSCDATA] ResponseMessageType order).
void append_status(pugi::xml_node message, const response& r, const char* prefix) {
  const std::string p(prefix);
  set_attribute(message, "ResponseClass", r.response_class);
  if (!r.message_text.empty()) xml::append_text(message, (p + "MessageText").c_str(), r.message_text);
  xml::append_text(message, (p + "ResponseCode").c_str(), r.response_code);
  if (!is_success(r)) xml::append_text(message, (p + "DescriptiveLinkKey").c_str(), "0");
}

void append_get_folder(pugi::xml_node body, const response& r) {
  pugi::xml_node top = body.append_child("m:GetFolderResponse");
  set_attribute(top, "xmlns:m", messages_namespace);
  set_attribute(top, "xmlns:t", types_namespace);
  pugi::xml_node message = top.append_child("m:ResponseMessages").append_child("m:GetFolderResponseMessage");
  append_status(message, r, "m:");
  pugi::xml_node folders = message.append_child("m:Folders");
  if (!is_success(r)) return;
  // A placeholder folder: the responder has no store, only the answer's shape.
  pugi::xml_node folder = folders.append_child("t:Folder");
  pugi::xml_node id = folder.append_child("t:FolderId");
  set_attribute(id, "Id", "AAMkAGVkZ2Vwcm9iZQAuAAAAAAA=");
  set_attribute(id, "ChangeKey", "AQAAAA==");
  xml::append_text(folder, "t:DisplayName", "Inbox");
}

void append_get_user_oof_settings(pugi::xml_node body, const response& r) {
  pugi::xml_node top = body.append_child("GetUserOofSettingsResponse");
  set_attribute(top, "xmlns", messages_namespace);
  append_status(top.append_child("ResponseMessage"), r, "");
  if (!is_success(r)) return;
  pugi::xml_node settings = top.append_child("OofSettings");
  set_attribute(settings, "xmlns", types_namespace);
  xml::append_text(settings, "OofState", "Disabled");
  xml::append_text(settings, "ExternalAudience", "None");
  xml::append_text(top, "AllowExternalOof", "None");
}

pugi::xml_node new_envelope(pugi::xml_document& doc) {
  xml::add_declaration(doc);
  pugi::xml_node envelope = doc.append_child("s:Envelope");
  set_attribute(envelope, "xmlns:s", soap_envelope_namespace);
  return envelope;
}

} // namespace

std::string request(operation op, std::string_view mailbox, std::string_view server_version) {
  pugi::xml_document doc;
  xml::add_declaration(doc);
  pugi::xml_node envelope = doc.append_child("soap:Envelope");
  set_attribute(envelope, "xmlns:soap", soap_envelope_namespace);
  set_attribute(envelope, "xmlns:m", messages_namespace);
  set_attribute(envelope, "xmlns:t", types_namespace);
  set_attribute(envelope.append_child("soap:Header").append_child("t:RequestServerVersion"), "Version", server_version);

  pugi::xml_node body = envelope.append_child("soap:Body");
  if (op == operation::get_folder) {
    pugi::xml_node get_folder = body.append_child("m:GetFolder");
    xml::append_text(get_folder.append_child("m:FolderShape"), "t:BaseShape", "IdOnly");
    set_attribute(get_folder.append_child("m:FolderIds").append_child("t:DistinguishedFolderId"), "Id", "inbox");
  } else {
    pugi::xml_node oof = body.append_child("m:GetUserOofSettingsRequest");
    xml::append_text(oof.append_child("t:Mailbox"), "t:Address", mailbox);
  }
  return xml::serialize(doc);
}

parsed<request_parsed> parse_request(std::string_view body) {
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "an EWS request"); !error.empty())
    return xml::failure<request_parsed>(std::move(error));
  const envelope_parts parts = find_envelope(doc);
  if (!parts.error.empty()) return xml::failure<request_parsed>(parts.error);

  const pugi::xml_node message = xml::first_element(parts.body);
  if (!message) return xml::failure<request_parsed>("empty <Body>, not an EWS request");
  if (xml::named(message, "GetFolder")) return xml::success(request_parsed{operation::get_folder, {}});
  if (!xml::named(message, "GetUserOofSettingsRequest"))
    return xml::failure<request_parsed>("Body carries " + xml::describe(message) +
                                        ", not <GetFolder> or <GetUserOofSettingsRequest>");
  const pugi::xml_node address = xml::child(xml::child(message, "Mailbox"), "Address");
  std::string error;
  request_parsed r{operation::get_user_oof_settings, identifier(address, error)};
  if (!error.empty()) return xml::failure<request_parsed>(std::move(error));
  if (r.mailbox.empty()) return xml::failure<request_parsed>("no <Mailbox><Address> in <GetUserOofSettingsRequest>");
  return xml::success(std::move(r));
}

std::string server_version::text() const {
  std::string out = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(major_build) + "." +
                    std::to_string(minor_build);
  if (!version.empty()) out += " (" + version + ")";
  return out;
}

parsed<response> parse_response(std::string_view body) {
  pugi::xml_document doc;
  if (auto error = xml::load(doc, body, "an EWS response"); !error.empty())
    return xml::failure<response>(std::move(error));
  const envelope_parts parts = find_envelope(doc);
  if (!parts.error.empty()) return xml::failure<response>(parts.error);

  response r;
  if (const pugi::xml_node info = xml::child(xml::child(parts.envelope, "Header"), "ServerVersionInfo")) {
    std::string error;
    r.version = read_server_version(info, error);
    if (!r.version) return xml::failure<response>(std::move(error));
  }
  if (const pugi::xml_node fault = xml::child(parts.body, "Fault")) return read_fault(fault, std::move(r));
  return read_response_message(parts.body, std::move(r));
}

std::string build_response(operation op, const response& r) {
  if (r.fault) return build_soap_fault(r.fault_code, r.fault_string);
  pugi::xml_document doc;
  pugi::xml_node envelope = new_envelope(doc);
  if (r.version) {
    pugi::xml_node info = envelope.append_child("s:Header").append_child("h:ServerVersionInfo");
    set_attribute(info, "xmlns:h", types_namespace);
    info.append_attribute("MajorVersion").set_value(r.version->major);
    info.append_attribute("MinorVersion").set_value(r.version->minor);
    info.append_attribute("MajorBuildNumber").set_value(r.version->major_build);
    info.append_attribute("MinorBuildNumber").set_value(r.version->minor_build);
    if (!r.version->version.empty()) set_attribute(info, "Version", r.version->version);
  }
  pugi::xml_node body = envelope.append_child("s:Body");
  if (op == operation::get_folder)
    append_get_folder(body, r);
  else
    append_get_user_oof_settings(body, r);
  return xml::serialize(doc);
}

std::string build_soap_fault(std::string_view code, std::string_view text) {
  pugi::xml_document doc;
  pugi::xml_node fault = new_envelope(doc).append_child("s:Body").append_child("s:Fault");
  pugi::xml_node faultcode = xml::append_text(fault, "faultcode", code);
  const bool ews_code = code.substr(0, 2) == "a:";
  if (ews_code) set_attribute(faultcode, "xmlns:a", types_namespace);
  if (code.substr(0, 5) == "soap:") set_attribute(faultcode, "xmlns:soap", soap_envelope_namespace);
  set_attribute(xml::append_text(fault, "faultstring", text), "xml:lang", "en-US");
  if (!ews_code) return xml::serialize(doc);

  pugi::xml_node detail = fault.append_child("detail");
  set_attribute(xml::append_text(detail, "e:ResponseCode", code.substr(2)), "xmlns:e", errors_namespace);
  set_attribute(xml::append_text(detail, "e:Message", text), "xmlns:e", errors_namespace);
  return xml::serialize(doc);
}

} // namespace edgeprobe::ews
