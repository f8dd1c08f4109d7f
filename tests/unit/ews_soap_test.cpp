// EWS SOAP bodies on the examples of Microsoft's EWS reference: the GetFolder
// operation page (request, Success answer, ErrorInvalidIdMalformed answer),
// the GetUserOofSettings operation page (request, Success answer, and the
// SOAP Fault for another user's mailbox) and the EWS-style fault of
// [MS-OXWUMS] (faultcode a:ErrorInvalidRequest with a ResponseCode/Message
// detail). Then the builders against the parsers, escaping, and refusals. The
// files live in tests/fuzz/corpus/autodiscover_xml, where they also seed the
// fuzz target.
#include "probes/ews/ews_soap.hpp"

#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace edgeprobe;
using namespace edgeprobe::ews;

namespace {

std::string corpus(const std::string& name) {
  std::string bytes = test::corpus_bytes("autodiscover_xml", name);
  INFO(name);
  REQUIRE(!bytes.empty());
  return bytes;
}

response response_ok(std::string_view body) {
  auto r = parse_response(body);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

std::string response_error(std::string_view body) {
  auto r = parse_response(body);
  REQUIRE_FALSE(r);
  return r.error.what;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string envelope(std::string_view header, std::string_view body) {
  return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>" + std::string(header) +
         "</s:Header><s:Body>" + std::string(body) + "</s:Body></s:Envelope>";
}

} // namespace

TEST_SUITE("ews") {

TEST_CASE("EWS: the GetFolder page's Success and Error answers") {
  const response ok = response_ok(corpus("msdocs_getfolder_response.xml"));
  CHECK_FALSE(ok.fault);
  CHECK(ok.response_class == "Success");
  CHECK(ok.response_code == "NoError");
  CHECK(ok.message_text.empty());
  REQUIRE(ok.version);
  CHECK(ok.version->major == 8);
  CHECK(ok.version->minor == 0);
  CHECK(ok.version->major_build == 628);
  CHECK(ok.version->minor_build == 0);
  CHECK(ok.version->version.empty());
  CHECK(ok.version->text() == "8.0.628.0");

  const response error = response_ok(corpus("msdocs_getfolder_error_response.xml"));
  CHECK(error.response_class == "Error");
  CHECK(error.response_code == "ErrorInvalidIdMalformed");
  CHECK(error.message_text == "Id is malformed.");
}

TEST_CASE("EWS: the GetUserOofSettings page's Success answer and its SOAP Fault") {
  const response ok = response_ok(corpus("msdocs_getuseroofsettings_response.xml"));
  CHECK(ok.response_class == "Success");
  CHECK(ok.response_code == "NoError");
  REQUIRE(ok.version);
  CHECK(ok.version->text() == "8.0.685.8");

  const response fault = response_ok(corpus("msdocs_getuseroofsettings_error_fault.xml"));
  CHECK(fault.fault);
  CHECK(fault.fault_code == "soap:Client");
  CHECK(fault.fault_string.rfind("Microsoft.Exchange.Data.Storage.AccessDeniedException: User is not mailbox owner.", 0) == 0);
  CHECK(fault.response_code.empty()); // that detail carries an ErrorCode, not a ResponseCode
  REQUIRE(fault.version);
  CHECK(fault.version->major_build == 685);
}

TEST_CASE("EWS: an EWS fault's detail gives ResponseCode and Message ([MS-OXWUMS])") {
  const response r = response_ok(corpus("ms-oxwums_soap_fault_errorinvalidrequest.xml"));
  CHECK(r.fault);
  CHECK(r.fault_code == "a:ErrorInvalidRequest");
  CHECK(r.fault_string == "The request is invalid.");
  CHECK(r.response_code == "ErrorInvalidRequest");
  CHECK(r.message_text == "The request is invalid.");
  CHECK_FALSE(r.version);
}

TEST_CASE("EWS: the responder recognises the reference's requests") {
  const auto folder = parse_request(corpus("msdocs_getfolder_request.xml"));
  INFO(folder.error.what);
  REQUIRE(folder);
  CHECK(folder.value->op == operation::get_folder);
  CHECK(folder.value->mailbox.empty());

  const auto oof = parse_request(corpus("msdocs_getuseroofsettings_request.xml"));
  REQUIRE(oof);
  CHECK(oof.value->op == operation::get_user_oof_settings);
  CHECK(oof.value->mailbox == "User1@example.com");
}

TEST_CASE("EWS: request builders ask for the inbox IdOnly, or the mailbox's OOF, escaped") {
  const std::string folder = request(operation::get_folder, "");
  CHECK(contains(folder, "<t:RequestServerVersion Version=\"Exchange2010_SP2\"/>"));
  CHECK(contains(folder, "<t:BaseShape>IdOnly</t:BaseShape>"));
  CHECK(contains(folder, "<t:DistinguishedFolderId Id=\"inbox\"/>"));
  const auto folder_back = parse_request(folder);
  REQUIRE(folder_back);
  CHECK(folder_back.value->op == operation::get_folder);

  const std::string mailbox = "o'neil&<sales>\"@example.com";
  const std::string oof = request(operation::get_user_oof_settings, mailbox, "Exchange2013");
  CHECK(contains(oof, "<t:RequestServerVersion Version=\"Exchange2013\"/>"));
  CHECK(contains(oof, "<t:Address>o'neil&amp;&lt;sales&gt;\"@example.com</t:Address>"));
  const auto oof_back = parse_request(oof);
  REQUIRE(oof_back);
  CHECK(oof_back.value->op == operation::get_user_oof_settings);
  CHECK(oof_back.value->mailbox == mailbox);
}

TEST_CASE("EWS: response builders round-trip for both operations") {
  response ok;
  ok.response_class = "Success";
  ok.response_code = "NoError";
  ok.version = server_version{15, 1, 2507, 6, "V2017_07_11"};
  CHECK(ok.version->text() == "15.1.2507.6 (V2017_07_11)");

  response missing;
  missing.response_class = "Error";
  missing.response_code = "ErrorNonExistentMailbox";
  missing.message_text = "The SMTP address has no mailbox associated with it.";

  response denied = missing;
  denied.response_code = "ErrorAccessDenied";
  denied.message_text = "Access is denied. <Check> credentials & try again.";
  denied.version = server_version{8, 0, 685, 8, {}};

  for (const auto op : {operation::get_folder, operation::get_user_oof_settings})
    for (const response& r : {ok, missing, denied}) {
      INFO(r.response_code);
      CHECK(response_ok(build_response(op, r)) == r);
    }
  CHECK(contains(build_response(operation::get_folder, ok), "<t:DisplayName>Inbox</t:DisplayName>"));
  CHECK(contains(build_response(operation::get_user_oof_settings, ok), "<OofState>Disabled</OofState>"));
}

TEST_CASE("EWS: SOAP faults round-trip, with an EWS detail for a: codes") {
  const response ews_fault = response_ok(build_soap_fault("a:ErrorSchemaValidation", "The request failed schema validation."));
  CHECK(ews_fault.fault);
  CHECK(ews_fault.fault_code == "a:ErrorSchemaValidation");
  CHECK(ews_fault.fault_string == "The request failed schema validation.");
  CHECK(ews_fault.response_code == "ErrorSchemaValidation");
  CHECK(ews_fault.message_text == "The request failed schema validation.");

  const response client = response_ok(build_soap_fault("soap:Client", "bad <input> & more"));
  CHECK(client.fault_code == "soap:Client");
  CHECK(client.fault_string == "bad <input> & more");
  CHECK(client.response_code.empty());

  response as_response;
  as_response.fault = true;
  as_response.fault_code = "a:ErrorAccessDenied";
  as_response.fault_string = "Access is denied.";
  const response back = response_ok(build_response(operation::get_folder, as_response));
  CHECK(back.fault);
  CHECK(back.response_code == "ErrorAccessDenied");
}

TEST_CASE("EWS: ServerVersionInfo as child elements (the SOAP Autodiscover form) is read too") {
  const response r = response_ok(envelope(
      "<h:ServerVersionInfo xmlns:h=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\">"
      "<h:MajorVersion>14</h:MajorVersion><h:MinorVersion>3</h:MinorVersion>"
      "<h:MajorBuildNumber>136</h:MajorBuildNumber><h:MinorBuildNumber>1</h:MinorBuildNumber>"
      "<h:Version>Exchange2010_SP2</h:Version></h:ServerVersionInfo>",
      "<ResponseMessage ResponseClass=\"Warning\"><ResponseCode>ErrorBatchProcessingStopped</ResponseCode></ResponseMessage>"));
  REQUIRE(r.version);
  CHECK(r.version->text() == "14.3.136.1 (Exchange2010_SP2)");
  CHECK(r.response_class == "Warning");
  CHECK(r.response_code == "ErrorBatchProcessingStopped");
}

TEST_CASE("EWS: bodies that are refused, and why") {
  CHECK(response_error("") == "empty body, not an EWS response");
  CHECK(contains(response_error("<!DOCTYPE html><html><body>IIS 10.0 Detailed Error - 401.2</body></html>"),
                 "an HTML page, not an EWS response"));
  CHECK(response_error("<Autodiscover/>") == "root is <Autodiscover>, not a SOAP <Envelope>");
  CHECK(response_error("<soap:Envelope xmlns:soap=\"x\"/>") == "no <Body> in <soap:Envelope>");
  CHECK(response_error(envelope("", "<m:GetFolderResponse xmlns:m=\"x\"/>")) ==
        "no response message (an element with a ResponseClass) in <Body>, which carries <m:GetFolderResponse>");
  CHECK(response_error(envelope("", "<ResponseMessage ResponseClass=\"\"/>")) == "ResponseClass of <ResponseMessage> is empty");
  CHECK(response_error(envelope("<t:ServerVersionInfo MajorVersion=\"x\" MinorVersion=\"0\" MajorBuildNumber=\"1\" "
                                "MinorBuildNumber=\"2\"/>",
                                "<ResponseMessage ResponseClass=\"Success\"/>")) ==
        "ServerVersionInfo has no numeric MajorVersion");
  CHECK(response_error(envelope("<t:ServerVersionInfo MajorVersion=\"99999999999\" MinorVersion=\"0\" "
                                "MajorBuildNumber=\"1\" MinorBuildNumber=\"2\"/>",
                                "<ResponseMessage ResponseClass=\"Success\"/>")) ==
        "ServerVersionInfo has no numeric MajorVersion");
  CHECK(contains(response_error(corpus("msdocs_getfolder_response.xml").substr(0, 600)), "not XML: "));
  CHECK(contains(response_error("<?xml version=\"1.0\"?><!DOCTYPE e SYSTEM \"file:///etc/passwd\"><e/>"), "DTDs are refused"));

  const auto item = parse_request(envelope("", "<m:GetItem xmlns:m=\"x\"/>"));
  REQUIRE_FALSE(item);
  CHECK(item.error.what == "Body carries <m:GetItem>, not <GetFolder> or <GetUserOofSettingsRequest>");
  const auto no_mailbox = parse_request(envelope("", "<GetUserOofSettingsRequest><Mailbox/></GetUserOofSettingsRequest>"));
  REQUIRE_FALSE(no_mailbox);
  CHECK(no_mailbox.error.what == "no <Mailbox><Address> in <GetUserOofSettingsRequest>");
  const auto empty_body = parse_request(envelope("", ""));
  REQUIRE_FALSE(empty_body);
  CHECK(empty_body.error.what == "empty <Body>, not an EWS request");
}

} // TEST_SUITE
