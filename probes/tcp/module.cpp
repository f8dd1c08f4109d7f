// The tcp module: the probe, and the responder that greets each connection with
// the address it saw and then echoes (`listen --tcp`).
#include "net/endpoint_text.hpp"
#include "net/tcp_responder.hpp"
#include "probes/module.hpp"
#include "probes/tcp/tcp_probe.hpp"

#include <boost/asio/io_context.hpp>

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
    for (auto& r : bound) site.adopt(std::move(r)).start();
    return port;
  }
}

// A port on `address` that nothing listens on right now (bound, then
// released): what the demo's "must be closed" check points at.
std::uint16_t unused_port(const net::ip::address& address) {
  net::io_context io;
  tcp::acceptor socket(io, {address, 0});
  return socket.local_endpoint().port();
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  auto& r = site.adopt(std::make_unique<tcp_responder>(site.executor(), tcp::endpoint(address, port)));
  r.start();
  return {"tcp " + endpoint_text(r.local_endpoint()) + " (greeting, then echo)"};
}

std::map<std::string, std::string> demo(responder_site& site) {
  const auto first = net::ip::make_address("127.0.0.1");
  const auto second = net::ip::make_address("127.0.0.2");
  return {{"tcp_port", std::to_string(start_on_same_port(site, {first, second}))},
          {"closed_tcp_port", std::to_string(unused_port(first))}};
}

} // namespace

probe_module tcp_module() {
  return {.make_probe = make_tcp_probe,
          .listen = {{"tcp", "TCP ports: 443,5061 or 50000-50010", 0, start}},
          .demo = demo};
}

} // namespace edgeprobe
