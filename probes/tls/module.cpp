// The tls module: the probe, and the TLS responder (`listen --tls`), plain or
// behind SMTP STARTTLS (`listen --smtp`), serving the host's certificate.
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/tls/responder.hpp"
#include "probes/tls/tls_probe.hpp"

namespace edgeprobe {

namespace {

net::ip::tcp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port,
                                 tls_responder_options options) {
  auto& r = site.start(
      std::make_unique<tls_responder>(site.executor(), net::ip::tcp::endpoint(address, port), std::move(options)));
  return r.local_endpoint();
}

std::vector<std::string> start_tls(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  tls_responder_options options;
  options.tls = site.tls();
  const bool asks = !options.tls.client_ca_pem.empty();
  return {"tls " + endpoint_text(start_one(site, address, port, std::move(options))) +
          (asks ? " (asks for a client certificate)" : "") + " (greeting, then echo)"};
}

std::vector<std::string> start_smtp(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  tls_responder_options options;
  options.tls = site.tls();
  options.starttls_smtp = true;
  return {"smtp " + endpoint_text(start_one(site, address, port, std::move(options))) +
          " (SMTP, STARTTLS, then TLS echo)"};
}

// Plain, asking for a client certificate (naming the demo's root), and behind
// SMTP STARTTLS.
demo_vars demo(responder_site& site) {
  const auto first = demo_address();
  tls_responder_options plain;
  plain.tls = site.tls();
  auto mutual = plain;
  mutual.tls.client_ca_pem = site.generated_root_pem();
  auto smtp = plain;
  smtp.starttls_smtp = true;
  return {{"tls_port", std::to_string(start_one(site, first, 0, plain).port())},
          {"mtls_port", std::to_string(start_one(site, first, 0, mutual).port())},
          {"smtp_port", std::to_string(start_one(site, first, 0, smtp).port())}};
}

} // namespace

probe_module tls_module() {
  return {.make_probe = make_tls_probe,
          .listen = {{"tls", "TLS ports: 443,5061 (TLS, then greeting and echo)", 0, start_tls},
                     {"smtp", "SMTP ports that upgrade with STARTTLS: 25,587", 0, start_smtp}},
          .demo = demo};
}

} // namespace edgeprobe
