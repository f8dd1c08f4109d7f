// edgeprobe listen: stand-in responders to run on the far side of a firewall
// before the real service exists, so the path can be proven end to end.
#include "cli/commands.hpp"
#include "cli/responder_host.hpp"
#include "core/exit_code.hpp"
#include "net/endpoint_text.hpp"
#include "probes/tcp/options.hpp"

#include <iostream>
#include <sstream>

namespace edgeprobe::cli {

namespace {

struct listen_args {
  std::string tcp_ports;
  std::string udp_ports;
  std::uint16_t dns_port = 0;
  bool probe_responders = false;
  std::vector<std::string> addresses{"0.0.0.0"};
};

// "80,443,5060-5061" → ports; the same rules as the tcp probe's source_port.
std::optional<std::vector<std::uint16_t>> parse_ports(const std::string& text, const char* flag) {
  if (text.empty()) return std::vector<std::uint16_t>{};
  auto items = nlohmann::json::array();
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) items.push_back(item);
  std::string error;
  auto ports = parse_port_set(items, error);
  if (!ports) std::cerr << "edgeprobe listen: " << flag << ' ' << text << ": " << error << '\n';
  return ports;
}

std::optional<std::vector<net::ip::address>> parse_addresses(const std::vector<std::string>& texts) {
  std::vector<net::ip::address> addresses;
  for (const auto& text : texts) {
    boost::system::error_code ec;
    addresses.push_back(net::ip::make_address(text, ec));
    if (ec) {
      std::cerr << "edgeprobe listen: --address " << text << ": not an IP address\n";
      return std::nullopt;
    }
  }
  return addresses;
}

// The well-known port of each probe's responder, for --probe-responders.
constexpr std::uint16_t dns_well_known_port = 53;

int listen(const listen_args& args) {
  const auto tcp_ports = parse_ports(args.tcp_ports, "--tcp");
  const auto udp_ports = parse_ports(args.udp_ports, "--udp");
  const auto addresses = parse_addresses(args.addresses);
  if (!tcp_ports || !udp_ports || !addresses) return exit_invalid;
  const std::uint16_t dns_port = args.dns_port ? args.dns_port : args.probe_responders ? dns_well_known_port : 0;
  if (tcp_ports->empty() && udp_ports->empty() && dns_port == 0) {
    std::cerr << "edgeprobe listen: nothing to listen on; give --tcp PORTS, --udp PORTS, --dns PORT or "
                 "--probe-responders\n";
    return exit_invalid;
  }
  responder_host host;
  std::string binding; // what is being bound, for the message if it cannot be
  try {
    for (const auto& address : *addresses) {
      for (const auto port : *tcp_ports) {
        binding = "tcp " + endpoint_text(net::ip::tcp::endpoint(address, port));
        std::cout << "listening tcp " << host.add_tcp({address, port}) << " (greeting, then echo)\n";
      }
      for (const auto port : *udp_ports) {
        binding = "udp " + endpoint_text(net::ip::udp::endpoint(address, port));
        std::cout << "listening udp " << host.add_udp({address, port}) << " (greeting + echo per datagram)\n";
      }
      if (dns_port) {
        binding = "dns (udp and tcp) " + endpoint_text(net::ip::udp::endpoint(address, dns_port));
        std::cout << "listening dns " << net::ip::udp::endpoint(address, host.add_dns(address, dns_port, demo_zone()))
                  << " (zone demo.edgeprobe.test)\n";
      }
    }
  } catch (const boost::system::system_error& e) {
    // e.what() carries Boost's source location, which tells a user nothing.
    const bool privileged = e.code() == boost::system::errc::permission_denied;
    std::cerr << "edgeprobe listen: cannot listen on " << binding << ": " << e.code().message()
              << (privileged ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : "") << '\n';
    return exit_invalid;
  }
  host.start();
  std::cout << "ready; Ctrl-C stops" << std::endl;
  responder_host::wait_for_signal();
  return exit_ok;
}

} // namespace

void add_listen_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<listen_args>();
  auto* cmd = app.add_subcommand("listen", "run stand-in responders that tell each client the address they saw");
  cmd->add_option("--tcp", args->tcp_ports, "TCP ports: 443,5061 or 50000-50010");
  cmd->add_option("--udp", args->udp_ports, "UDP ports: 3478 or 1434,3478");
  cmd->add_option("--dns", args->dns_port, "serve the demo DNS zone on this port (UDP)");
  cmd->add_option("--address", args->addresses, "addresses to listen on (repeatable; default 0.0.0.0)")
      ->take_all();
  cmd->add_flag("--probe-responders", args->probe_responders,
                "also run each probe's reference responder on its standard port (dns: 53)");
  cmd->callback([args, &exit_code] { exit_code = listen(*args); });
}

} // namespace edgeprobe::cli
