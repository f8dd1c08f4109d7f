// The ews module: the probe, and an Exchange stand-in over HTTPS (`listen
// --ews`): Autodiscover and EWS for one mailbox, 401 with Negotiate, NTLM and
// Basic, NTLM verified.
#include "net/endpoint_text.hpp"
#include "probes/ews/ews_probe.hpp"
#include "probes/ews/responder.hpp"
#include "probes/module.hpp"

#include <cstdlib>

namespace edgeprobe {

namespace {

net::ip::tcp::endpoint start_one(responder_site& site, const net::ip::address& address, std::uint16_t port,
                                 std::vector<ews_mailbox> mailboxes) {
  ews_responder_options options;
  options.mailboxes = std::move(mailboxes); // ews_url stays empty: built from the Host the client asked
  auto& r = site.start(std::make_unique<tls_responder>(site.executor(), net::ip::tcp::endpoint(address, port),
                                                       ews_https_options(std::move(options), site.tls())));
  return r.local_endpoint();
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  const auto& mailbox = site.setting("ews-mailbox").front();
  // A password on the command line would be in every `ps`: it comes from the environment.
  const char* password = std::getenv("EDGEPROBE_EWS_PASSWORD");
  std::vector<ews_mailbox> mailboxes;
  if (password && *password) mailboxes.push_back({mailbox, mailbox.substr(0, mailbox.find('@')), password, mailbox});
  const auto at = start_one(site, address, port, mailboxes);
  return {"ews " + endpoint_text(at) + " (Autodiscover and EWS over HTTPS; " +
          (mailboxes.empty() ? "no mailbox: set EDGEPROBE_EWS_PASSWORD to let " + mailbox + " log in"
                             : "mailbox " + mailbox + ", user " + mailboxes.front().user) +
          ")"};
}

// The demo's own mailbox: its password is the responder's, printed in suites/demo.json on purpose.
demo_vars demo(responder_site& site) {
  const auto at = start_one(site, demo_address(), 0,
                            {{"demo@demo.edgeprobe.test", "DEMO\\demo", "demo-Passw0rd", "Demo User"}});
  return {{"ews_port", std::to_string(at.port())}};
}

} // namespace

probe_module ews_module() {
  return {.make_probe = make_ews_probe,
          .listen = {{"ews", "HTTPS ports for the Exchange Autodiscover/EWS responder: 443 (uses --cert, or a generated one)",
                      0, start}},
          .settings = {{"ews-mailbox",
                        "the mailbox it serves (default probe@edgeprobe.test); its password comes from "
                        "EDGEPROBE_EWS_PASSWORD",
                        {"probe@edgeprobe.test"}}},
          .demo = demo};
}

} // namespace edgeprobe
