// The tcp module: the probe, and the responder that greets each connection with
// the address it saw and then echoes (`listen --tcp`).
#include "net/endpoint_text.hpp"
#include "net/tcp_responder.hpp"
#include "probes/module.hpp"
#include "probes/tcp/tcp_probe.hpp"

namespace edgeprobe {

namespace {

using tcp = net::ip::tcp;

// One responder per address, all on one port number (the demo's name that
// resolves to two addresses); returns the port. The port the first address got
// may be taken at another (a live connection from it): then try a fresh one.
std::uint16_t start_on_same_port(responder_site& site, const std::vector<net::ip::address>& addresses) {
  constexpr int attempts = 32;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::unique_ptr<tcp_responder>> bound;
    std::uint16_t port = 0;
    try {
      for (const auto& address : addresses) {
        bound.push_back(std::make_unique<tcp_responder>(site.executor(), tcp::endpoint(address, port)));
        port = bound.back()->local_endpoint().port();
      }
    } catch (const boost::system::system_error&) {
      if (attempt == attempts) throw;
      continue;
    }
    for (auto& r : bound) site.start(std::move(r));
    return port;
  }
}

} // namespace

probe_module tcp_module() {
  auto start = [](responder_site& site, const net::ip::address& address, std::uint16_t port) {
    auto& r = site.start(std::make_unique<tcp_responder>(site.executor(), tcp::endpoint(address, port)));
    return std::vector<std::string>{"tcp " + endpoint_text(r.local_endpoint()) + " (greeting, then echo)"};
  };
  auto demo = [](responder_site& site) {
    const auto second = net::ip::make_address("127.0.0.2");
    return demo_vars{{"tcp_port", std::to_string(start_on_same_port(site, {demo_address(), second}))},
                     {"closed_tcp_port", std::to_string(unused_port<tcp>(demo_address()))}};
  };
  return {.make_probe = make_tcp_probe,
          .listen = {{"tcp", "TCP ports: 443,5061 or 50000-50010", 0, start}},
          .demo = demo};
}

} // namespace edgeprobe
