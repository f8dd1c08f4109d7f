// The Exchange reference responder's answer function, request by request, with
// no sockets: the 401 and its scheme list, Basic, the three NTLM legs (this
// project's NTLM client code on the other side, so the server really verifies
// an NTLMv2 answer), POX and SOAP Autodiscover answers read back with the
// Autodiscover parsers, EWS answers read back with the EWS parser, and the
// routing (404, 405) and plain-HTTP redirect around them.
#include "probes/ews/responder.hpp"

#include "wire/base64.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace edgeprobe;

namespace {

constexpr const char* ews_url = "https://mail.contoso.test/EWS/Exchange.asmx";

ews_responder_options contoso() {
  ews_responder_options o;
  o.mailboxes = {
      {"alice@contoso.test", "alice", "Passw0rd!", "Alice Anders"},
      {"bob@contoso.test", "CONTOSO\\bob", "hunter2-bob", "Bob Berg"},
  };
  o.ews_url = ews_url;
  using kind = autodiscover::pox_response::kind;
  autodiscover::pox_response moved;
  moved.what = kind::redirect_addr;
  moved.redirect = "carol@fabrikam.test";
  o.autodiscover_overrides["carol@contoso.test"] = moved;
  autodiscover::pox_response elsewhere;
  elsewhere.what = kind::redirect_url;
  elsewhere.redirect = "https://autodiscover.fabrikam.test/autodiscover/autodiscover.xml";
  o.autodiscover_overrides["dave@contoso.test"] = elsewhere;
  autodiscover::pox_response broken;
  broken.what = kind::error;
  broken.error_code = "500";
  broken.error_message = "The email address can't be found.";
  o.autodiscover_overrides["erin@contoso.test"] = broken;
  return o;
}

ews_http_request post(std::string target, std::string body = {}, std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Host", "mail.contoso.test");
  headers.emplace_back("Content-Type", "text/xml; charset=utf-8");
  return {"POST", std::move(target), std::move(headers), std::move(body)};
}

std::pair<std::string, std::string> basic(std::string_view user, std::string_view password) {
  return {"Authorization", "Basic " + base64_encode(std::string(user) + ":" + std::string(password))};
}

std::string get_folder() { return ews::request(ews::operation::get_folder, ""); }
std::string oof_of(std::string_view mailbox) { return ews::request(ews::operation::get_user_oof_settings, mailbox); }

ews::response ews_ok(const ews_http_response& r) {
  const auto parsed = ews::parse_response(r.body);
  INFO(parsed.error.what);
  REQUIRE(parsed);
  return *parsed.value;
}

autodiscover::pox_response pox_ok(const ews_http_response& r) {
  const auto parsed = autodiscover::parse_pox_response(r.body);
  INFO(parsed.error.what);
  REQUIRE(parsed);
  return *parsed.value;
}

autodiscover::soap_response soap_ok(const ews_http_response& r) {
  const auto parsed = autodiscover::parse_soap_response(r.body);
  INFO(parsed.error.what);
  REQUIRE(parsed);
  return *parsed.value;
}

// ---- NTLM client side, with the project's NTLM code ----

ntlm::challenge_message challenge_in(const ews_http_response& r) {
  const auto offers = r.values("WWW-Authenticate");
  REQUIRE(offers.size() == 1);
  const auto bytes = ntlm::from_header_value(offers.front());
  REQUIRE(bytes);
  REQUIRE_FALSE(bytes->empty());
  const auto challenge = ntlm::parse_challenge(*bytes);
  INFO(challenge.error.what);
  REQUIRE(challenge);
  return *challenge.value;
}

std::pair<std::string, std::string> ntlm_negotiate() {
  return {"Authorization", ntlm::header_value(ntlm::build_negotiate())};
}

std::pair<std::string, std::string> ntlm_authenticate(const ntlm::challenge_message& challenge,
                                                      const ntlm::credentials& who) {
  ntlm::client_inputs inputs;
  inputs.client_challenge = {1, 2, 3, 4, 5, 6, 7, 8};
  inputs.timestamp = 133000000000000000ULL;
  inputs.workstation = "CLIENT01";
  return {"Authorization", ntlm::header_value(ntlm::build_authenticate(challenge, who, inputs))};
}

// Legs 1 and 2 on `state`: the server's CHALLENGE.
ntlm::challenge_message ntlm_challenge(ews_connection_state& state, const ews_responder_options& o) {
  const auto second = ews_answer(post("/EWS/Exchange.asmx", "", {ntlm_negotiate()}), state, o);
  REQUIRE(second.status == 401);
  CHECK_FALSE(second.close); // NTLM authenticates the connection: it must stay open
  return challenge_in(second);
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// No answer may carry a password or an Authorization value back.
void check_no_secrets(const ews_http_response& r) {
  for (const auto& secret : {"Passw0rd!", "hunter2-bob", "wrong-password"}) {
    CHECK_FALSE(contains(r.body, secret));
    for (const auto& [name, value] : r.headers) CHECK_FALSE(contains(value, secret));
  }
}

} // namespace

TEST_SUITE("ews") {

TEST_CASE("ews responder: no credentials -> 401 offering Negotiate, NTLM and Basic, in IIS order") {
  const auto o = contoso();
  ews_connection_state state;
  const auto r = ews_answer(post("/EWS/Exchange.asmx", get_folder()), state, o);
  CHECK(r.status == 401);
  CHECK(r.values("WWW-Authenticate") == std::vector<std::string>{"Negotiate", "NTLM", "Basic realm=\"EWS01\""});
  CHECK_FALSE(r.close);

  auto only_ntlm = contoso();
  only_ntlm.offer_negotiate = only_ntlm.offer_basic = false;
  CHECK(ews_answer(post("/EWS/Exchange.asmx"), state, only_ntlm).values("WWW-Authenticate") ==
        std::vector<std::string>{"NTLM"});
}

TEST_CASE("ews responder: Basic authenticates one request, wrong credentials all look alike") {
  const auto o = contoso();
  ews_connection_state state;
  const auto ok = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {basic("alice", "Passw0rd!")}), state, o);
  CHECK(ok.status == 200);
  CHECK(ews_ok(ok).response_class == "Success");
  check_no_secrets(ok);
  // Per request: the next one without credentials is refused again.
  CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder()), state, o).status == 401);

  // Logins: case-insensitive names, the domain optional, the address as a UPN.
  const std::vector<std::pair<std::string, std::string>> logins{
      {"ALICE", "Passw0rd!"},         {"EDGEPROBE\\alice", "Passw0rd!"}, {"alice@contoso.test", "Passw0rd!"},
      {"CONTOSO\\bob", "hunter2-bob"}, {"contoso\\BOB", "hunter2-bob"},  {"bob", "hunter2-bob"}};
  for (const auto& [login, password] : logins) {
    CAPTURE(login);
    CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder(), {basic(login, password)}), state, o).status == 200);
  }

  const auto wrong_password = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {basic("alice", "wrong-password")}), state, o);
  const auto unknown_user = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {basic("mallory", "Passw0rd!")}), state, o);
  const auto wrong_domain = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {basic("OTHER\\bob", "hunter2-bob")}), state, o);
  const auto not_base64 = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {{"Authorization", "Basic !!!"}}), state, o);
  for (const auto* refused : {&wrong_password, &unknown_user, &wrong_domain, &not_base64}) {
    CHECK(refused->status == 401);
    CHECK(refused->headers == wrong_password.headers);
    CHECK(refused->body == wrong_password.body);
    check_no_secrets(*refused);
  }
}

TEST_CASE("ews responder: NTLM's three legs authenticate the connection with the right password only") {
  const auto o = contoso();

  SUBCASE("right password") {
    ews_connection_state state;
    const auto challenge = ntlm_challenge(state, o);
    CHECK(state.challenge_sent.has_value());
    // The CHALLENGE a Windows server sends ([MS-NLMP] 2.2.1.2): names and a timestamp.
    CHECK(challenge.nb_domain_name() == "EDGEPROBE");
    CHECK(challenge.nb_computer_name() == "EWS01");
    CHECK(challenge.dns_domain_name() == "edgeprobe.test");
    CHECK(challenge.dns_computer_name() == "ews01.edgeprobe.test");
    CHECK(challenge.timestamp().has_value());
    CHECK((challenge.flags & ntlm::flag::negotiate_target_info) != 0);

    const auto third = ews_answer(
        post("/EWS/Exchange.asmx", get_folder(), {ntlm_authenticate(challenge, {"alice", "", "Passw0rd!"})}), state, o);
    CHECK(third.status == 200);
    CHECK(ews_ok(third).response_code == "NoError");
    CHECK(state.authenticated_mailbox == "alice@contoso.test");
    CHECK_FALSE(state.challenge_sent.has_value()); // spent
    // The connection stays authenticated: no Authorization needed any more.
    const auto next = ews_answer(post("/EWS/Exchange.asmx", oof_of("alice@contoso.test")), state, o);
    CHECK(next.status == 200);
    CHECK(ews_ok(next).response_class == "Success");
  }

  SUBCASE("a domain user, with its domain or without") {
    for (const auto* domain : {"CONTOSO", "contoso", ""}) {
      CAPTURE(domain);
      ews_connection_state state;
      const auto challenge = ntlm_challenge(state, o);
      const auto third = ews_answer(
          post("/EWS/Exchange.asmx", get_folder(), {ntlm_authenticate(challenge, {"BOB", domain, "hunter2-bob"})}),
          state, o);
      CHECK(third.status == 200);
      CHECK(state.authenticated_mailbox == "bob@contoso.test");
    }
  }

  SUBCASE("wrong password, wrong domain") {
    for (const auto& who : {ntlm::credentials{"alice", "", "wrong-password"}, ntlm::credentials{"bob", "OTHER", "hunter2-bob"}}) {
      ews_connection_state state;
      const auto challenge = ntlm_challenge(state, o);
      const auto third = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {ntlm_authenticate(challenge, who)}), state, o);
      CHECK(third.status == 401);
      CHECK(third.values("WWW-Authenticate").size() == 3);
      CHECK_FALSE(state.authenticated_mailbox.has_value());
      check_no_secrets(third);
    }
  }

  SUBCASE("an AUTHENTICATE without a CHALLENGE on this connection, or replayed") {
    ews_connection_state first;
    const auto challenge = ntlm_challenge(first, o);
    const auto answer = ntlm_authenticate(challenge, {"alice", "", "Passw0rd!"});
    ews_connection_state other; // another connection: it sent no challenge
    CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder(), {answer}), other, o).status == 401);
    CHECK_FALSE(other.authenticated_mailbox.has_value());

    CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder(), {answer}), first, o).status == 200);
    // The same answer again: the challenge is spent, and the header drops the login.
    CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder(), {answer}), first, o).status == 401);
    CHECK_FALSE(first.authenticated_mailbox.has_value());
  }

  SUBCASE("every CHALLENGE is fresh") {
    ews_connection_state a, b;
    CHECK(ntlm_challenge(a, o).server_challenge != ntlm_challenge(b, o).server_challenge);
  }
}

TEST_CASE("ews responder: Negotiate is offered but its tokens are not accepted") {
  const auto o = contoso();
  ews_connection_state state;
  // Even an NTLM NEGOTIATE wrapped in the Negotiate scheme: the client must use NTLM.
  const auto negotiate = "Negotiate " + base64_encode(std::string_view("NTLMSSP\0\1\0\0\0", 12));
  const auto r = ews_answer(post("/EWS/Exchange.asmx", get_folder(), {{"Authorization", negotiate}}), state, o);
  CHECK(r.status == 401);
  CHECK(r.values("WWW-Authenticate").size() == 3);
  CHECK_FALSE(state.challenge_sent.has_value());
}

TEST_CASE("ews responder: POX Autodiscover settings, redirects and errors ([MS-OXDSCLI])") {
  const auto o = contoso();
  ews_connection_state state;
  const auto ask = [&](std::string_view email) {
    return ews_answer(post("/autodiscover/autodiscover.xml", autodiscover::pox_request(email), {basic("alice", "Passw0rd!")}),
                      state, o);
  };

  const auto settings_answer = ask("Alice@Contoso.test");
  CHECK(settings_answer.status == 200);
  CHECK(settings_answer.value("Content-Type") == "text/xml; charset=utf-8");
  const auto settings = pox_ok(settings_answer);
  CHECK(settings.what == autodiscover::pox_response::kind::settings);
  CHECK(settings.display_name == "Alice Anders");
  CHECK(settings.ews_url() == ews_url);
  REQUIRE(settings.protocols.size() == 2);
  CHECK(settings.protocols[0].type == "EXCH");
  CHECK(settings.protocols[1].type == "EXPR");
  CHECK(settings.protocols[1].server == "mail.contoso.test");
  CHECK(settings.protocols[1].ews_url == ews_url);

  const auto moved = pox_ok(ask("carol@contoso.test"));
  CHECK(moved.what == autodiscover::pox_response::kind::redirect_addr);
  CHECK(moved.redirect == "carol@fabrikam.test");

  const auto elsewhere = pox_ok(ask("dave@contoso.test"));
  CHECK(elsewhere.what == autodiscover::pox_response::kind::redirect_url);
  CHECK(elsewhere.redirect == "https://autodiscover.fabrikam.test/autodiscover/autodiscover.xml");

  const auto unknown = pox_ok(ask("nobody@contoso.test"));
  CHECK(unknown.what == autodiscover::pox_response::kind::error);
  CHECK(unknown.error_code == "500");
  CHECK(unknown.error_message == "The email address can't be found.");

  // A GET, as a browser sends it, and a body that is no Autodiscover request: Error 600 with HTTP 200.
  for (const auto& request : {ews_http_request{"GET", "/autodiscover/autodiscover.xml", {basic("alice", "Passw0rd!")}, ""},
                              post("/autodiscover/autodiscover.xml", "<html/>", {basic("alice", "Passw0rd!")})}) {
    const auto r = ews_answer(request, state, o);
    CHECK(r.status == 200);
    const auto invalid = pox_ok(r);
    CHECK(invalid.what == autodiscover::pox_response::kind::error);
    CHECK(invalid.error_code == "600");
    CHECK(invalid.error_message == "Invalid Request");
  }

  // Credentials first, as Exchange asks for them; optional when configured so.
  CHECK(ews_answer(post("/autodiscover/autodiscover.xml", autodiscover::pox_request("alice@contoso.test")), state, o).status == 401);
  auto anonymous = contoso();
  anonymous.autodiscover_requires_auth = false;
  const auto open = ews_answer(post("/autodiscover/autodiscover.xml", autodiscover::pox_request("alice@contoso.test")), state, anonymous);
  CHECK(open.status == 200);
  CHECK(pox_ok(open).ews_url() == ews_url);
  CHECK(ews_answer(post("/EWS/Exchange.asmx", get_folder()), state, anonymous).status == 401); // EWS still asks
}

TEST_CASE("ews responder: without a configured EwsUrl it is the Host's HTTPS URL") {
  auto o = contoso();
  o.ews_url.clear();
  o.autodiscover_requires_auth = false;
  ews_connection_state state;
  ews_http_request request{"POST", "/autodiscover/autodiscover.xml", {{"Host", "127.0.0.1:8443"}},
                           autodiscover::pox_request("alice@contoso.test")};
  CHECK(pox_ok(ews_answer(request, state, o)).ews_url() == "https://127.0.0.1:8443/EWS/Exchange.asmx");
  request.headers = {{"Host", "evil\"><x/>"}};
  CHECK(pox_ok(ews_answer(request, state, o)).ews_url() == "https://localhost/EWS/Exchange.asmx");
}

TEST_CASE("ews responder: SOAP GetUserSettings answers ([MS-OXWSADISC])") {
  const auto o = contoso();
  ews_connection_state state;
  const std::vector<std::string> wanted{"UserDisplayName", "ExternalEwsUrl"};
  const auto ask = [&](std::string_view email) {
    return ews_answer(post("/autodiscover/autodiscover.svc",
                           autodiscover::soap_request(email, "https://mail.contoso.test/autodiscover/autodiscover.svc", wanted),
                           {basic("alice", "Passw0rd!")}),
                      state, o);
  };

  const auto ok_answer = ask("alice@contoso.test");
  CHECK(ok_answer.status == 200);
  CHECK(ok_answer.value("Content-Type") == "text/xml; charset=utf-8");
  const auto ok = soap_ok(ok_answer);
  CHECK(ok.response_error_code == "NoError");
  CHECK(ok.error_code == "NoError");
  CHECK(ok.ews_url() == ews_url);
  CHECK(ok.setting("UserDisplayName") == "Alice Anders");
  CHECK(ok.settings.size() == 2); // what was asked, not InternalEwsUrl

  const auto moved = soap_ok(ask("carol@contoso.test"));
  CHECK(moved.error_code == "RedirectAddress");
  CHECK(moved.redirect_target == "carol@fabrikam.test");

  const auto elsewhere = soap_ok(ask("dave@contoso.test"));
  CHECK(elsewhere.error_code == "RedirectUrl");
  CHECK(elsewhere.redirect_target == "https://autodiscover.fabrikam.test/autodiscover/autodiscover.xml");

  for (const auto* email : {"nobody@contoso.test", "erin@contoso.test"}) {
    const auto unknown = soap_ok(ask(email));
    CHECK(unknown.error_code == "InvalidUser");
    CHECK(unknown.settings.empty());
  }

  const auto garbage = ews_answer(post("/autodiscover/autodiscover.svc", "not xml", {basic("alice", "Passw0rd!")}), state, o);
  CHECK(garbage.status == 200);
  CHECK(soap_ok(garbage).response_error_code == "InvalidRequest");
}

TEST_CASE("ews responder: EWS GetFolder, OOF of self and of others, and a schema fault") {
  const auto o = contoso();
  ews_connection_state state;
  const auto as_alice = [&](std::string body) {
    return ews_answer(post("/EWS/Exchange.asmx", std::move(body), {basic("alice", "Passw0rd!")}), state, o);
  };

  const auto folder_answer = as_alice(get_folder());
  CHECK(folder_answer.status == 200);
  CHECK(folder_answer.value("Content-Type") == "text/xml; charset=utf-8");
  const auto folder = ews_ok(folder_answer);
  CHECK_FALSE(folder.fault);
  CHECK(folder.response_class == "Success");
  CHECK(folder.response_code == "NoError");
  REQUIRE(folder.version);
  CHECK(*folder.version == o.version);

  const auto own = ews_ok(as_alice(oof_of("ALICE@contoso.test")));
  CHECK(own.response_class == "Success");

  const auto other_answer = as_alice(oof_of("bob@contoso.test"));
  CHECK(other_answer.status == 200);
  const auto other = ews_ok(other_answer);
  CHECK(other.response_class == "Error");
  CHECK(other.response_code == "ErrorAccessDenied");

  const auto missing = ews_ok(as_alice(oof_of("nobody@contoso.test")));
  CHECK(missing.response_class == "Error");
  CHECK(missing.response_code == "ErrorNonExistentMailbox");

  const auto garbage_answer = as_alice("<soap:Envelope><soap:Body><Nonsense/></soap:Body></soap:Envelope>");
  CHECK(garbage_answer.status == 500);
  const auto garbage = ews_ok(garbage_answer);
  CHECK(garbage.fault);
  CHECK(garbage.fault_code == "a:ErrorSchemaValidation");
  CHECK(garbage.response_code == "ErrorSchemaValidation");
}

TEST_CASE("ews responder: routing, 404 before any login, 405 after it") {
  const auto o = contoso();
  ews_connection_state state;
  CHECK(ews_answer(post("/owa/"), state, o).status == 404);
  CHECK(ews_answer({"GET", "/", {}, ""}, state, o).status == 404);
  // IIS paths have no case, and a query string does not change the path.
  CHECK(ews_answer(post("/ews/EXCHANGE.asmx?x=1"), state, o).status == 401);
  CHECK(ews_answer(post("/AutoDiscover/AutoDiscover.svc"), state, o).status == 401);

  const auto get_ews = ews_answer({"GET", "/EWS/Exchange.asmx", {basic("alice", "Passw0rd!")}, ""}, state, o);
  CHECK(get_ews.status == 405);
  CHECK(get_ews.value("Allow") == "POST");
  CHECK(ews_answer({"PUT", "/autodiscover/autodiscover.xml", {basic("alice", "Passw0rd!")}, ""}, state, o).status == 405);
  CHECK(ews_answer({"GET", "/autodiscover/autodiscover.svc", {basic("alice", "Passw0rd!")}, ""}, state, o).status == 405);
}

TEST_CASE("ews responder: plain HTTP redirects the Autodiscover GET to HTTPS, answers the rest the same") {
  auto o = contoso();
  o.https_redirect_url = "https://mail.contoso.test/autodiscover/autodiscover.xml";
  ews_connection_state state;
  const auto redirect = ews_plain_http_answer({"GET", "/Autodiscover/Autodiscover.xml", {}, ""}, state, o);
  CHECK(redirect.status == 302);
  CHECK(redirect.value("Location") == o.https_redirect_url);
  CHECK(ews_plain_http_answer(post("/autodiscover/autodiscover.xml"), state, o).status == 401);
  CHECK(ews_plain_http_answer(post("/nowhere"), state, o).status == 404);

  o.https_redirect_url.clear();
  CHECK(ews_plain_http_answer({"GET", "/autodiscover/autodiscover.xml", {}, ""}, state, o).status == 401);
}

} // TEST_SUITE
