#include "probes/tls/options.hpp"

#include "core/check_values.hpp"
#include "net/chain_check.hpp"


namespace edgeprobe {

namespace {

const std::vector<std::string_view> version_choices{"1.0", "1.1", "1.2", "1.3"};

// A version the loader has checked against version_choices.
std::optional<int> version_at(const nlohmann::json& from, const char* key) {
  if (!from.contains(key)) return std::nullopt;
  return parse_tls_version(string_at(from, key));
}

} // namespace

const probe_options& tls_option_specs() {
  static const probe_options specs{
      .options =
          {
              {"sni", option_kind::string,
               "Server name to send (SNI) and to check the certificate against; default: the target's host "
               "name (none for an IP address); \"\" sends none."},
              {"alpn", option_kind::string_list, "ALPN protocols to offer, e.g. [\"h2\", \"http/1.1\"]."},
              {"min_version", option_kind::choice,
               "Lowest TLS version to offer (default 1.0, so old servers are reported, not merely failed).",
               version_choices},
              {"max_version", option_kind::choice, "Highest TLS version to offer (default 1.3).", version_choices},
              {"ciphers", option_kind::string,
               "OpenSSL cipher names, ':'-separated; TLS_* names set the TLS 1.3 suites. Default: all."},
              {"ca_file", option_kind::file,
               "PEM file of the roots to trust instead of the system's (a private CA); relative to the suite "
               "file."},
              {"client_cert", option_kind::file,
               "PEM client certificate (then any intermediates) to offer when the server asks for one."},
              {"client_key", option_kind::file, "PEM private key of client_cert (default: read from client_cert)."},
              {"verify", option_kind::boolean,
               "false: like `curl -k`, neither the chain nor the name is judged (both are still reported); "
               "dates still are."},
              {"starttls", option_kind::choice,
               "Speak this protocol in plain text first and upgrade: smtp (EHLO, STARTTLS), e.g. for port 25 "
               "or 587.",
               {"smtp"}},
              connect_option_spec("source_address"),
          },
      .expect =
          {
              {"verified", option_kind::boolean,
               "The chain must lead to a trusted root (default true); false: a private chain is reported "
               "but not failed, while names and dates are still judged."},
              {"san_includes", option_kind::string_list,
               "Names the certificate must cover, matched as a browser does (one-label wildcards, "
               "case-insensitive, IP addresses against IP SANs); a name written with \"*.\" must be in the "
               "certificate as that wildcard."},
              {"subject_cn", option_kind::string, "The subject's common name, exactly (case-insensitive)."},
              {"issuer_contains", option_kind::string, "Text the issuer's name must contain (case-insensitive), e.g. \"DigiCert\"."},
              {"min_days_left", option_kind::integer,
               "Fail with tls.cert.expires_soon when a certificate of the chain expires in fewer days.", {}, 0,
               36500},
              {"warn_days_left", option_kind::integer,
               "Warn with tls.cert.expires_soon when a certificate of the chain expires in fewer days (default "
               "21; 0: never).",
               {}, 0, 36500},
              {"min_version", option_kind::choice,
               "Lowest negotiated TLS version that passes (default 1.2): below it, tls.version_too_low.",
               version_choices},
              {"client_cert_requested", option_kind::boolean,
               "Whether the server must (true) or must not (false) ask for a client certificate."},
              {"max_client_ca_list_bytes", option_kind::integer,
               "Fail with tls.client_ca_list_large when the server's list of acceptable client CAs is larger; "
               "without it, a list over 16384 bytes (Schannel's limit) is a warning.",
               {}, 0, 65535},
              connect_expect_spec("max_connect_ms"),
          },
  };
  return specs;
}

std::shared_ptr<const tls_config> parse_tls_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<tls_config>();
  const auto expect = expect_of(check);
  // The connection's keys are the ones every connecting probe shares.
  read_connect_settings(check, cfg->transport);

  cfg->sni = optional_string_at(check, "sni");
  if (check.contains("alpn")) {
    for (const auto& p : check["alpn"]) {
      const auto name = p.get<std::string>();
      if (name.empty() || name.size() > 255) errors.add("/alpn", "an ALPN protocol name is 1 to 255 bytes");
      else cfg->client.alpn.push_back(name);
    }
  }
  if (auto v = version_at(check, "min_version")) cfg->client.min_version = *v;
  if (auto v = version_at(check, "max_version")) cfg->client.max_version = *v;
  if (cfg->client.min_version > cfg->client.max_version)
    errors.add("/min_version", "min_version is above max_version");
  cfg->client.ciphers = string_at(check, "ciphers");
  cfg->client.client_cert_file = string_at(check, "client_cert");
  cfg->client.client_key_file = string_at(check, "client_key");
  if (!cfg->client.client_key_file.empty() && cfg->client.client_cert_file.empty())
    errors.add("/client_key", "client_key without client_cert", "add \"client_cert\"");
  cfg->verify = bool_at(check, "verify", true);
  if (check.contains("starttls")) cfg->starttls = starttls_protocol::smtp;

  std::string error;
  if (auto ctx = make_client_context(cfg->client, error)) {
    cfg->context = std::shared_ptr<SSL_CTX>(ctx.release(), SSL_CTX_free);
  } else {
    const char* at = !cfg->client.client_cert_file.empty() && error.find("client_") != std::string::npos
                         ? (error.find("client_key") != std::string::npos ? "/client_key" : "/client_cert")
                         : "/ciphers";
    errors.add(at, error);
  }
  cfg->ca_file = string_at(check, "ca_file");
  error.clear();
  if (auto store = load_trust_store(cfg->ca_file, error)) cfg->trust = std::shared_ptr<X509_STORE>(store.release(), X509_STORE_free);
  else errors.add(cfg->ca_file.empty() ? "" : "/ca_file", error);

  cfg->verified = bool_at(expect, "verified", true);
  if (expect.contains("san_includes")) cfg->san_includes = expect["san_includes"].get<std::vector<std::string>>();
  cfg->subject_cn = optional_string_at(expect, "subject_cn");
  cfg->issuer_contains = optional_string_at(expect, "issuer_contains");
  if (expect.contains("min_days_left")) cfg->min_days_left = expect["min_days_left"].get<int>();
  if (expect.contains("warn_days_left")) cfg->warn_days_left = expect["warn_days_left"].get<int>();
  if (auto v = version_at(expect, "min_version")) cfg->min_version = *v;
  if (expect.contains("client_cert_requested")) cfg->client_cert_requested = expect["client_cert_requested"].get<bool>();
  if (expect.contains("max_client_ca_list_bytes"))
    cfg->max_client_ca_list_bytes = expect["max_client_ca_list_bytes"].get<std::size_t>();
  if (!cfg->verify && expect.contains("verified") && cfg->verified)
    errors.add("/expect/verified", "expect.verified needs verification, but \"verify\" is false");
  return cfg;
}

} // namespace edgeprobe
