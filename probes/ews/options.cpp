#include "probes/ews/options.hpp"

#include "core/check_values.hpp"

namespace edgeprobe {

const probe_options& ews_option_specs() {
  static const probe_options specs = [] {
    probe_options o;
    o.options = {
        {"email", option_kind::string,
         "A mailbox's address: run Autodiscover for it first and call EWS at the URL it hands out."},
        {"autodiscover", option_kind::choice,
         "Which Autodiscover to ask at each candidate URL: pox (autodiscover.xml, default), soap (autodiscover.svc), "
         "both (POX, then SOAP), off (call the target URL).",
         {"pox", "soap", "both", "off"}},
        {"operation", option_kind::choice,
         "The EWS call: GetFolder (the inbox, default), GetUserOofSettings (the mailbox's own), or none (only reach "
         "the URL).",
         {"GetFolder", "GetUserOofSettings", "none"}},
        {"auth", option_kind::choice, "How to authenticate when credentials are given: ntlm (default) or basic.",
         {"ntlm", "basic"}},
        {"username", option_kind::string, "The account: DOMAIN\\\\user, user@domain or user."},
        {"password", option_kind::string, "Its password (a secret: never shown)."},
    };
    for (const auto& s : http_connection_option_specs()) o.options.push_back(s);
    o.expect = {
        {"outcome", option_kind::choice,
         "reachable (default without credentials): EWS answers, a 401 listing its schemes counts; authenticated "
         "(default with credentials): the call returns ResponseClass Success.",
         {"reachable", "authenticated"}},
    };
    return o;
  }();
  return specs;
}

std::shared_ptr<const ews_config> parse_ews_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<ews_config>();
  parse_http_connection(check, cfg->tls, errors);
  cfg->email = string_at(check, "email");
  if (!cfg->email.empty()) {
    const auto at = cfg->email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == cfg->email.size() ||
        cfg->email.find_first_of(" \t\r\n/") != std::string::npos)
      errors.add("/email", "not an email address", "for example \"alice@contoso.com\"");
  }
  const auto mode = string_at(check, "autodiscover");
  if (mode == "soap") cfg->autodiscover = autodiscover_mode::soap;
  else if (mode == "both") cfg->autodiscover = autodiscover_mode::both;
  else if (mode == "off") cfg->autodiscover = autodiscover_mode::off;
  if (cfg->email.empty() && check.contains("autodiscover") && mode != "off")
    errors.add("/autodiscover", "Autodiscover needs an email address", "add \"email\"");
  const auto op = string_at(check, "operation");
  if (op == "GetUserOofSettings") cfg->operation = ews::operation::get_user_oof_settings;
  else if (op == "none") cfg->operation.reset();
  if (string_at(check, "auth") == "basic") cfg->auth = http_auth::basic;
  cfg->username = string_at(check, "username");
  cfg->password = string_at(check, "password");
  if (!cfg->password.empty() && cfg->username.empty())
    errors.add("/password", "a password without a username", "add \"username\"");
  if (cfg->operation == ews::operation::get_user_oof_settings && cfg->email.empty())
    errors.add("/operation", "GetUserOofSettings needs the mailbox's address", "add \"email\"");
  cfg->outcome = cfg->has_credentials() ? ews_outcome::authenticated : ews_outcome::reachable;
  if (const auto expect = expect_of(check); expect.contains("outcome")) {
    cfg->outcome = expect["outcome"] == "authenticated" ? ews_outcome::authenticated : ews_outcome::reachable;
    if (cfg->outcome == ews_outcome::authenticated && !cfg->has_credentials())
      errors.add("/expect/outcome", "\"authenticated\" needs credentials", "add \"username\" and \"password\"");
  }
  return cfg;
}

} // namespace edgeprobe
