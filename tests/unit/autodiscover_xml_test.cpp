// Autodiscover POX and SOAP bodies on Microsoft's own examples: [MS-OXDSCLI]
// 4.2 (redirectAddr), the POX request and response pages of the Exchange
// reference (settings with ASUrl only, and the Error answer), the "Get user
// settings by using Autodiscover" how-to (Exchange 2013 answers with EwsUrl and
// ExternalEwsUrl, https:// namespaces, and a SOAP answer the page prints
// without its final '>'), the GetUserSettings operation page ([MS-OXWSADISC]
// GetUserSettings request and response) and "Handling Autodiscover error
// messages" (redirects). Then builders against parsers, escaping, and the
// ways a hostile or confused server's body is refused. The files live in
// tests/fuzz/corpus/autodiscover_xml, where they also seed the fuzz target.
#include "probes/ews/autodiscover_xml.hpp"

#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using namespace edgeprobe::autodiscover;

namespace {

std::string corpus(const std::string& name) {
  std::string bytes = test::corpus_bytes("autodiscover_xml", name);
  INFO(name);
  REQUIRE(!bytes.empty());
  return bytes;
}

pox_response pox_ok(std::string_view body) {
  auto r = parse_pox_response(body);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

std::string pox_error(std::string_view body) {
  auto r = parse_pox_response(body);
  REQUIRE_FALSE(r);
  return r.error.what;
}

soap_response soap_ok(std::string_view body) {
  auto r = parse_soap_response(body);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string pox_account(std::string_view account_children) {
  return "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
         "<Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\"><Account>" +
         std::string(account_children) + "</Account></Response></Autodiscover>";
}

} // namespace

TEST_SUITE("ews") {

TEST_CASE("POX: [MS-OXDSCLI] 4.2 redirectAddr and a redirectUrl in the same shape") {
  const pox_response addr = pox_ok(corpus("ms-oxdscli_4.2_redirectaddr_response.xml"));
  CHECK(addr.what == pox_response::kind::redirect_addr);
  CHECK(addr.redirect == "user@subdomain.contoso.com");
  CHECK(addr.protocols.empty());
  CHECK(addr.ews_url().empty());

  const pox_response url = pox_ok(corpus("ms-oxdscli_4.2_adapted_redirecturl_response.xml"));
  CHECK(url.what == pox_response::kind::redirect_url);
  CHECK(url.redirect == "https://autodiscover.subdomain.contoso.com/autodiscover/autodiscover.xml");

  const pox_response elvin = pox_ok(corpus("msdocs_handling_autodiscover_errors_pox_redirectaddr.xml"));
  CHECK(elvin.what == pox_response::kind::redirect_addr);
  CHECK(elvin.redirect == "elvin@mail.contoso.com");
}

TEST_CASE("POX: the reference's settings answer (Exchange 2007: ASUrl, no EwsUrl)") {
  const pox_response r = pox_ok(corpus("msdocs_pox_autodiscover_response_settings.xml"));
  CHECK(r.what == pox_response::kind::settings);
  CHECK(r.display_name == "First Last");
  REQUIRE(r.protocols.size() == 3);
  CHECK(r.protocols[0].type == "EXCH");
  CHECK(r.protocols[0].server == "MBX-SERVER.mail.internal.contoso.com");
  CHECK(r.protocols[0].ews_url.empty());
  CHECK(r.protocols[0].as_url == "https://mail.contoso.com/ews/exchange.asmx");
  CHECK(r.protocols[0].oof_url == "https://mail.contoso.com/ews/exchange.asmx");
  CHECK(r.protocols[1].type == "EXPR");
  CHECK(r.protocols[1].server == "Exchange.contoso.com");
  CHECK(r.protocols[2].type == "WEB");
  CHECK(r.ews_url() == "https://mail.contoso.com/ews/exchange.asmx");
}

TEST_CASE("POX: the how-to's Exchange 2013 answer carries EwsUrl, nested WEB protocols are not entries") {
  const pox_response r = pox_ok(corpus("msdocs_get_user_settings_howto_pox_response.xml"));
  CHECK(r.display_name == "Mara Whitley");
  REQUIRE(r.protocols.size() == 3); // the EXCH inside WEB/Internal is OWA's, not the account's
  CHECK(r.protocols[0].ews_url == "https://mail.contoso.com/EWS/Exchange.asmx");
  CHECK(r.protocols[0].server == "5f76be3c-9138-4f66-85e0-21bc23ca35f0@contoso.com");
  CHECK(r.protocols[1].type == "EXPR");
  CHECK(r.protocols[1].server == "mail.contoso.com");
  CHECK(r.protocols[1].ews_url.empty());
  CHECK(r.ews_url() == "https://mail.contoso.com/EWS/Exchange.asmx");
}

TEST_CASE("POX: the reference's Error answer") {
  const pox_response r = pox_ok(corpus("msdocs_pox_autodiscover_response_error.xml"));
  CHECK(r.what == pox_response::kind::error);
  CHECK(r.error_code == "600");
  CHECK(r.error_message == "Invalid Request");
  // [MS-OXDSCLI] also allows the Error under Account.
  const pox_response nested = pox_ok(pox_account("<Error><ErrorCode>500</ErrorCode><Message>no such user</Message></Error>"));
  CHECK(nested.what == pox_response::kind::error);
  CHECK(nested.error_code == "500");
  CHECK(nested.error_message == "no such user");
}

TEST_CASE("POX: requests from the reference and the how-to name the address asked") {
  const auto reference = parse_pox_request(corpus("msdocs_pox_autodiscover_request.xml"));
  REQUIRE(reference);
  CHECK(*reference.value == "user@contoso.com");
  const auto howto = parse_pox_request(corpus("msdocs_get_user_settings_howto_pox_request.xml"));
  REQUIRE(howto);
  CHECK(*howto.value == "mara@contoso.com");
}

TEST_CASE("POX: ews_url() takes EXCH, then EXPR, then WEB, then any, EwsUrl before ASUrl") {
  pox_response r;
  r.protocols = {{"WEB", "", "https://web/ews", "", ""}, {"EXPR", "", "", "https://expr/as", ""},
                 {"OTHER", "", "https://other/ews", "", ""}};
  CHECK(r.ews_url() == "https://expr/as");
  r.protocols.push_back({"EXCH", "", "https://exch/ews", "https://exch/as", ""});
  CHECK(r.ews_url() == "https://exch/ews");
  r.protocols = {{"OTHER", "", "https://other/ews", "", ""}, {"WEB", "", "", "https://web/as", ""}};
  CHECK(r.ews_url() == "https://web/as");
  r.protocols = {{"EXCH", "srv", "", "", "https://oof"}};
  CHECK(r.ews_url().empty());
}

TEST_CASE("POX: prefixes, RedirectURL spelling and the mapiHttp Type attribute are tolerated") {
  const pox_response prefixed = pox_ok(
      "<ad:Autodiscover xmlns:ad=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
      "<ad:Response><ad:Account><ad:Action>redirectUrl</ad:Action>"
      "<ad:RedirectURL> https://ad.example.com/autodiscover/autodiscover.xml </ad:RedirectURL>"
      "</ad:Account></ad:Response></ad:Autodiscover>");
  CHECK(prefixed.what == pox_response::kind::redirect_url);
  CHECK(prefixed.redirect == "https://ad.example.com/autodiscover/autodiscover.xml");

  const pox_response mapi = pox_ok(pox_account(
      "<Action>settings</Action><Protocol Type=\"mapiHttp\" Version=\"1\"><MailStore/></Protocol>"));
  REQUIRE(mapi.protocols.size() == 1);
  CHECK(mapi.protocols[0].type == "mapiHttp");
}

TEST_CASE("POX: builders round-trip through the parsers") {
  pox_response settings;
  settings.display_name = "Zoë \"Q\" <Admin> & Co";
  settings.protocols = {{"EXCH", "mbx.example.com", "https://mail.example.com/EWS/Exchange.asmx?a=1&b=2", "", ""},
                        {"EXPR", "mail.example.com", "", "https://mail.example.com/EWS/Exchange.asmx", "https://oof"}};
  CHECK(pox_ok(build_pox_response(settings)) == settings);
  CHECK(pox_ok(build_pox_response(settings)).ews_url() == "https://mail.example.com/EWS/Exchange.asmx?a=1&b=2");

  pox_response addr;
  addr.what = pox_response::kind::redirect_addr;
  addr.redirect = "o'brien&co@example.com";
  CHECK(pox_ok(build_pox_response(addr)) == addr);

  pox_response url;
  url.what = pox_response::kind::redirect_url;
  url.redirect = "https://autodiscover.example.net/autodiscover/autodiscover.xml";
  CHECK(pox_ok(build_pox_response(url)) == url);

  pox_response error;
  error.what = pox_response::kind::error;
  error.error_code = "500";
  error.error_message = "The email address can't be found.";
  const std::string wire = build_pox_response(error);
  CHECK(contains(wire, "<Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\"><Error>"));
  CHECK(pox_ok(wire) == error);
}

TEST_CASE("POX: the request escapes the address and parses back to it") {
  const std::string email = "a&b<script>\"x'@example.com";
  const std::string wire = pox_request(email);
  CHECK(contains(wire, "<EMailAddress>a&amp;b&lt;script&gt;\"x'@example.com</EMailAddress>"));
  CHECK_FALSE(contains(wire, "<script>"));
  CHECK(contains(wire, "xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\""));
  CHECK(contains(wire, "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a<"));
  const auto back = parse_pox_request(wire);
  REQUIRE(back);
  CHECK(*back.value == email);
}

TEST_CASE("POX: requests the responder refuses") {
  const auto legacy = parse_pox_request(
      "<Autodiscover><Request><LegacyDN>/o=contoso/cn=Recipients/cn=alice</LegacyDN></Request></Autodiscover>");
  REQUIRE_FALSE(legacy);
  CHECK(contains(legacy.error.what, "LegacyDN"));
  const auto empty = parse_pox_request("<Autodiscover><Request><EMailAddress>  </EMailAddress></Request></Autodiscover>");
  REQUIRE_FALSE(empty);
  CHECK(empty.error.what == "<EMailAddress> is empty");
  const auto soap = parse_pox_request(corpus("msdocs_getusersettings_soap_request.xml"));
  REQUIRE_FALSE(soap);
  CHECK(soap.error.what == "root is <soap:Envelope>, not <Autodiscover>");
}

TEST_CASE("POX: bodies that are not an Autodiscover answer say what they are") {
  CHECK(pox_error("") == "empty body, not an Autodiscover response");
  CHECK(pox_error(" \r\n\t ") == "empty body, not an Autodiscover response");

  const std::string login = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>"
                            "<input name=user></form></body></html>";
  CHECK(contains(pox_error(login), "an HTML page, not an Autodiscover response"));
  CHECK(contains(pox_error("<html><body><h1>404 Not Found</h1><hr><center>nginx</center></body></html>"),
                 "an HTML page"));
  CHECK(contains(pox_error("\xEF\xBB\xBF<HTML><BODY>broken <br> markup</BODY>"), "an HTML page"));

  const std::string truncated = corpus("ms-oxdscli_4.2_redirectaddr_response.xml").substr(0, 200);
  const std::string why = pox_error(truncated);
  CHECK(contains(why, "not XML: "));
  CHECK(contains(why, "at offset "));

  const std::string dtd = pox_error("<?xml version=\"1.0\"?><!DOCTYPE Autodiscover [<!ENTITY a \"aaaa\">"
                                    "<!ENTITY b \"&a;&a;&a;&a;\">]><Autodiscover>&b;</Autodiscover>");
  CHECK(contains(dtd, "document type declaration (<!DOCTYPE) at offset 21"));
  CHECK(contains(dtd, "DTDs are refused"));

  CHECK(pox_error(corpus("msdocs_getusersettings_soap_response.xml")) == "root is <s:Envelope>, not <Autodiscover>");
  CHECK(contains(pox_error("{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://x/autodiscover.xml\"}"), "JSON, not XML"));

  std::string huge = pox_account("<Action>settings</Action>");
  huge.append(xml::max_body, ' ');
  CHECK(contains(pox_error(huge), "more than the 1048576 accepted"));
}

TEST_CASE("POX: answers with the right root but the wrong content") {
  CHECK(pox_error("<Autodiscover/>") == "no <Response> in <Autodiscover>");
  CHECK(pox_error("<Autodiscover><Response/></Autodiscover>") == "no <Account> or <Error> in <Response>");
  CHECK(pox_error(pox_account("<AccountType>email</AccountType>")) == "no <Action> in <Account>");
  CHECK(pox_error(pox_account("<Action>reboot</Action>")) == "Action is 'reboot', not settings, redirectAddr or redirectUrl");
  CHECK(contains(pox_error(pox_account("<Action>redirectAddr</Action><RedirectAddr/>")), "<RedirectAddr> is missing or empty"));

  std::string many = "<Action>settings</Action>";
  for (std::size_t i = 0; i <= xml::max_items; ++i) many += "<Protocol><Type>EXCH</Type></Protocol>";
  CHECK(pox_error(pox_account(many)) == "more than 256 <Protocol> in <Account>");

  const std::string long_url = "https://x/" + std::string(3000, 'a');
  CHECK(pox_error(pox_account("<Action>settings</Action><Protocol><EwsUrl>" + long_url + "</EwsUrl></Protocol>")) ==
        "<EwsUrl> is longer than 2048 bytes");

  // A long display name is a message: cut, not refused.
  const pox_response named = pox_ok(
      "<Autodiscover><Response><User><DisplayName>" + std::string(5000, 'n') +
      "</DisplayName></User><Account><Action>settings</Action></Account></Response></Autodiscover>");
  CHECK(named.display_name.size() == xml::max_field);
}

TEST_CASE("SOAP: the GetUserSettings operation page's request and response") {
  const auto request = parse_soap_request(corpus("msdocs_getusersettings_soap_request.xml"));
  INFO(request.error.what);
  REQUIRE(request);
  CHECK(request.value->email == "UserName@domain.contoso.com");
  REQUIRE(request.value->settings.size() == 8);
  CHECK(request.value->settings.front() == "UserDisplayName");
  CHECK(request.value->settings.back() == "EwsSupportedSchemas");

  const soap_response r = soap_ok(corpus("msdocs_getusersettings_soap_response.xml"));
  CHECK(r.response_error_code == "NoError");
  CHECK(r.error_code == "NoError");
  CHECK(r.error_message == "No error.");
  CHECK(r.redirect_target.empty()); // i:nil="true"
  REQUIRE(r.settings.size() == 8);
  CHECK(r.setting("CasVersion") == "14.00.0478.000");
  CHECK(r.setting("InternalMailboxServer") == "machinename.domain.contoso.com");
  CHECK(r.ews_url().empty()); // the example did not ask for an EWS URL
}

TEST_CASE("SOAP: RedirectAddress from \"Handling Autodiscover error messages\"") {
  const soap_response r = soap_ok(corpus("msdocs_handling_autodiscover_errors_soap_redirectaddress.xml"));
  CHECK(r.response_error_code == "NoError");
  CHECK(r.error_code == "RedirectAddress");
  CHECK(r.error_message == "Redirection address.");
  CHECK(r.redirect_target == "elvin@mail.contoso.com");
  CHECK(r.settings.empty());
}

TEST_CASE("SOAP: the how-to's Exchange 2013 answer, as printed (no final '>') and mended") {
  const std::string printed = corpus("msdocs_get_user_settings_howto_soap_response_truncated.xml");
  const auto broken = parse_soap_response(printed);
  REQUIRE_FALSE(broken);
  CHECK(contains(broken.error.what, "not XML: "));
  CHECK(contains(broken.error.what, "at offset "));

  const soap_response r = soap_ok(printed + ">");
  CHECK(r.ews_url() == "https://mail.contoso.com/EWS/Exchange.asmx");
  CHECK(r.setting("UserDisplayName") == "Mara Whitley");
  CHECK(r.setting("GroupingInformation") == "CONTOSO-1");
  // The page escapes twice; one level of escaping is XML's, the other is the value's.
  CHECK(r.setting("EcpTextMessagingUrlFragment") == "?p=sms/textmessaging.slab&amp;exsvurl=1");
  CHECK(r.settings.size() == 15);
}

TEST_CASE("SOAP: ews_url() prefers ExternalEwsUrl to InternalEwsUrl") {
  soap_response r;
  r.settings = {{"InternalEwsUrl", "https://internal/EWS/Exchange.asmx"}};
  CHECK(r.ews_url() == "https://internal/EWS/Exchange.asmx");
  r.settings.emplace_back("ExternalEwsUrl", "https://external/EWS/Exchange.asmx");
  CHECK(r.ews_url() == "https://external/EWS/Exchange.asmx");
}

TEST_CASE("SOAP: the request builder addresses, escapes and round-trips") {
  const std::vector<std::string> settings{"ExternalEwsUrl", "InternalEwsUrl", "UserDisplayName"};
  const std::string wire =
      soap_request("a&b<c>@example.com", "https://autodiscover.example.com/autodiscover/autodiscover.svc?x=1&y=2", settings);
  CHECK(contains(wire, "<wsa:Action>http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings</wsa:Action>"));
  CHECK(contains(wire, "<wsa:To>https://autodiscover.example.com/autodiscover/autodiscover.svc?x=1&amp;y=2</wsa:To>"));
  CHECK(contains(wire, "<a:RequestedServerVersion>Exchange2010</a:RequestedServerVersion>"));
  CHECK(contains(wire, "<a:Mailbox>a&amp;b&lt;c&gt;@example.com</a:Mailbox>"));
  const auto back = parse_soap_request(wire);
  REQUIRE(back);
  CHECK(back.value->email == "a&b<c>@example.com");
  CHECK(back.value->settings == settings);
}

TEST_CASE("SOAP: the response builder round-trips") {
  soap_response ok;
  ok.response_error_code = "NoError";
  ok.error_code = "NoError";
  ok.error_message = "No error.";
  ok.settings = {{"UserDisplayName", "Ann <&> Lee"}, {"ExternalEwsUrl", "https://mail.example.com/EWS/Exchange.asmx"}};
  CHECK(soap_ok(build_soap_response(ok)) == ok);

  soap_response redirect;
  redirect.response_error_code = "NoError";
  redirect.error_code = "RedirectUrl";
  redirect.redirect_target = "https://autodiscover.example.net/autodiscover/autodiscover.svc";
  CHECK(soap_ok(build_soap_response(redirect)) == redirect);

  soap_response invalid; // no response-level code given: written as NoError
  invalid.error_code = "InvalidUser";
  invalid.error_message = "Invalid user: 'nobody@example.com'";
  const soap_response back = soap_ok(build_soap_response(invalid));
  CHECK(back.response_error_code == "NoError");
  CHECK(back.error_code == "InvalidUser");
  CHECK(back.error_message == "Invalid user: 'nobody@example.com'");
}

TEST_CASE("SOAP: answers that are refused") {
  const auto fault = parse_soap_response(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
      "<faultcode>a:ActionNotSupported</faultcode><faultstring>The message with Action '' cannot be processed"
      "</faultstring></s:Fault></s:Body></s:Envelope>");
  REQUIRE_FALSE(fault);
  CHECK(fault.error.what == "SOAP Fault a:ActionNotSupported: The message with Action '' cannot be processed");

  const auto redirect_nowhere = parse_soap_response(
      "<Envelope><Body><GetUserSettingsResponseMessage><Response><ErrorCode>NoError</ErrorCode><UserResponses>"
      "<UserResponse><ErrorCode>RedirectAddress</ErrorCode><RedirectTarget i:nil=\"true\"/></UserResponse>"
      "</UserResponses></Response></GetUserSettingsResponseMessage></Body></Envelope>");
  REQUIRE_FALSE(redirect_nowhere);
  CHECK(redirect_nowhere.error.what == "ErrorCode RedirectAddress without a <RedirectTarget>");

  const auto pox = parse_soap_response(corpus("msdocs_pox_autodiscover_response_settings.xml"));
  REQUIRE_FALSE(pox);
  CHECK(pox.error.what == "root is <Autodiscover>, not <Envelope>");

  const auto html = parse_soap_response("<html><head><title>Outlook</title></head><body>Sign in</body></html>");
  REQUIRE_FALSE(html);
  CHECK(contains(html.error.what, "an HTML page, not a SOAP Autodiscover response"));

  const auto domain = parse_soap_request(
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:a=\"http://schemas.microsoft.com/exchange/2010/Autodiscover\"><soap:Body>"
      "<a:GetDomainSettingsRequestMessage/></soap:Body></soap:Envelope>");
  REQUIRE_FALSE(domain);
  CHECK(domain.error.what == "Body carries <a:GetDomainSettingsRequestMessage>, not <GetUserSettingsRequestMessage>");
}

} // TEST_SUITE
