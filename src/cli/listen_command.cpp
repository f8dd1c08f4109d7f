// edgeprobe listen: stand-in responders to run on the far side of a firewall
// before the real service exists, so the path can be proven end to end.
#include "cli/commands.hpp"
#include "cli/responder_host.hpp"
#include "core/exit_code.hpp"
#include "core/port_set.hpp"
#include "core/text_file.hpp"
#include "net/endpoint_text.hpp"
#include "probes/rpc_epm/dcerpc.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>
#include <sstream>

namespace edgeprobe::cli {

namespace {

struct listen_args {
  std::string tcp_ports;
  std::string udp_ports;
  std::string tls_ports;
  std::string smtp_ports;
  std::string stun_ports;
  std::string sqlbrowser_ports;
  std::vector<std::string> sql_instances{"SQLEXPRESS"}; // NAME or NAME=TCPPORT
  std::string reply_from;                               // sqlbrowser: answer from this address
  std::string epm_ports;
  std::vector<std::string> epm_interfaces{"emsmdb", "nspi", "rfr"}; // NAME|UUID or NAME=TCPPORT
  std::string tower_address;                                        // epm: the address put in towers
  std::string ews_ports;
  std::string ews_mailbox = "probe@edgeprobe.test"; // its password comes from EDGEPROBE_EWS_PASSWORD
  std::string cert_file, key_file, client_ca_file;
  std::vector<std::string> names{"localhost"}; // for the generated certificate
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

std::optional<std::vector<net::ip::address>> parse_addresses(const std::vector<std::string>& texts, const char* flag) {
  std::vector<net::ip::address> addresses;
  for (const auto& text : texts) {
    boost::system::error_code ec;
    addresses.push_back(net::ip::make_address(text, ec));
    if (ec) {
      std::cerr << "edgeprobe listen: " << flag << ' ' << text << ": not an IP address\n";
      return std::nullopt;
    }
  }
  return addresses;
}

// The well-known port of each probe's responder, for --probe-responders.
constexpr std::uint16_t dns_well_known_port = 53;
constexpr std::uint16_t stun_well_known_port = 3478;
constexpr std::uint16_t sqlbrowser_well_known_port = 1434;
constexpr std::uint16_t epm_well_known_port = 135;

// --sql-instance SALES, --epm-interface samr=49700: NAME or NAME=TCPPORT (0 or
// none: an ephemeral port); `valid_name` says whether NAME is one.
std::optional<std::vector<responder_host::named_port>> parse_named_ports(const std::vector<std::string>& texts,
                                                                          const char* flag, const char* what_name_is,
                                                                          bool (*valid_name)(const std::string&)) {
  std::vector<responder_host::named_port> specs;
  for (const auto& text : texts) {
    responder_host::named_port spec;
    const auto equals = text.find('=');
    spec.name = text.substr(0, equals);
    bool ok = valid_name(spec.name);
    if (ok && equals != std::string::npos) {
      const auto port = text.substr(equals + 1);
      unsigned long value = 0;
      ok = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
           (value = std::stoul(port)) <= 65535;
      spec.tcp_port = static_cast<std::uint16_t>(value);
    }
    if (!ok) {
      std::cerr << "edgeprobe listen: " << flag << ' ' << text << ": give NAME or NAME=TCPPORT, " << what_name_is
                << ", and a port up to 65535\n";
      return std::nullopt;
    }
    specs.push_back(spec);
  }
  return specs;
}

// The tls responders' settings: the given certificate, or one from a root made
// now, written next to the system's temporary files so clients can trust it.
std::optional<tls_responder_options> tls_settings(const listen_args& args, const std::vector<net::ip::address>& addresses) {
  tls_responder_options options;
  std::string error;
  auto read = [&](const std::string& path, std::string& into, const char* flag) {
    if (path.empty()) return true;
    if (read_text_file(path, into, error)) return true;
    std::cerr << "edgeprobe listen: " << flag << ' ' << path << ": " << error << '\n';
    return false;
  };
  if (!read(args.cert_file, options.tls.chain_pem, "--cert") ||
      !read(args.key_file.empty() ? args.cert_file : args.key_file, options.tls.key_pem, "--key") ||
      !read(args.client_ca_file, options.tls.client_ca_pem, "--client-ca"))
    return std::nullopt;
  if (args.cert_file.empty()) {
    std::vector<std::string> ips;
    for (const auto& a : addresses) ips.push_back(a.to_string());
    const auto pki = generate_responder_pki(args.names, ips);
    options.tls.chain_pem = pki.chain_pem;
    options.tls.key_pem = pki.key_pem;
    const auto root = std::filesystem::temp_directory_path() / ("edgeprobe-listen-root-" + std::to_string(getpid()) + ".pem");
    std::ofstream(root) << pki.root_pem;
    std::cout << "no --cert: serving a certificate for " << args.names.front()
              << " from a generated root; trust it with \"ca_file\": \"" << root.string() << "\"\n";
  }
  return options;
}

int listen(const listen_args& args) {
  const auto tcp_ports = parse_ports(args.tcp_ports, "--tcp");
  const auto udp_ports = parse_ports(args.udp_ports, "--udp");
  const auto tls_ports = parse_ports(args.tls_ports, "--tls");
  const auto smtp_ports = parse_ports(args.smtp_ports, "--smtp");
  auto stun_ports = parse_ports(args.stun_ports, "--stun");
  auto sqlbrowser_ports = parse_ports(args.sqlbrowser_ports, "--sqlbrowser");
  const auto sql_instances = parse_named_ports(args.sql_instances, "--sql-instance", "a name of 1 to 32 characters",
                                              [](const std::string& n) { return !n.empty() && n.size() <= 32; });
  auto epm_ports = parse_ports(args.epm_ports, "--epm");
  const auto epm_interfaces = parse_named_ports(
      args.epm_interfaces, "--epm-interface", "NAME an interface `edgeprobe probes rpc-epm` lists, or a UUID",
      [](const std::string& n) { return dcerpc::find_interface(n) || dcerpc::parse_uuid(n); });
  if (!args.tower_address.empty()) {
    boost::system::error_code ec;
    net::ip::make_address_v4(args.tower_address, ec);
    if (ec) {
      std::cerr << "edgeprobe listen: --tower-address " << args.tower_address << ": not an IPv4 address\n";
      return exit_invalid;
    }
  }
  const auto addresses = parse_addresses(args.addresses, "--address");
  std::optional<net::ip::address> reply_from;
  if (!args.reply_from.empty()) {
    const auto parsed = parse_addresses({args.reply_from}, "--reply-from");
    if (!parsed) return exit_invalid;
    reply_from = parsed->front();
  }
  if (!tcp_ports || !udp_ports || !tls_ports || !smtp_ports || !stun_ports || !sqlbrowser_ports || !sql_instances ||
      !epm_ports || !epm_interfaces || !addresses)
    return exit_invalid;
  if (args.probe_responders && stun_ports->empty()) stun_ports->push_back(stun_well_known_port);
  if (args.probe_responders && sqlbrowser_ports->empty()) sqlbrowser_ports->push_back(sqlbrowser_well_known_port);
  if (args.probe_responders && epm_ports->empty()) epm_ports->push_back(epm_well_known_port);
  std::optional<tls_responder_options> tls;
  const auto ews_ports = parse_ports(args.ews_ports, "--ews");
  if (!ews_ports) return exit_invalid;
  if (!tls_ports->empty() || !smtp_ports->empty() || !ews_ports->empty()) {
    try {
      tls = tls_settings(args, *addresses);
    } catch (const std::exception& e) {
      std::cerr << "edgeprobe listen: " << e.what() << '\n';
      return exit_invalid;
    }
    if (!tls) return exit_invalid;
  }
  const std::uint16_t dns_port = args.dns_port ? args.dns_port : args.probe_responders ? dns_well_known_port : 0;
  if (tcp_ports->empty() && udp_ports->empty() && tls_ports->empty() && smtp_ports->empty() && stun_ports->empty() &&
      sqlbrowser_ports->empty() && epm_ports->empty() && ews_ports->empty() && dns_port == 0) {
    std::cerr << "edgeprobe listen: nothing to listen on; give --tcp PORTS, --udp PORTS, --tls PORTS, --smtp PORTS, "
                 "--stun PORTS, --sqlbrowser PORTS, --epm PORTS, --ews PORTS, --dns PORT or --probe-responders\n";
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
      for (const auto port : *tls_ports) {
        binding = "tls " + endpoint_text(net::ip::tcp::endpoint(address, port));
        std::cout << "listening tls " << host.add_tls({address, port}, *tls)
                  << (tls->tls.client_ca_pem.empty() ? "" : " (asks for a client certificate)") << " (greeting, then echo)\n";
      }
      for (const auto port : *smtp_ports) {
        binding = "smtp " + endpoint_text(net::ip::tcp::endpoint(address, port));
        auto smtp = *tls;
        smtp.starttls_smtp = true;
        std::cout << "listening smtp " << host.add_tls({address, port}, smtp) << " (SMTP, STARTTLS, then TLS echo)\n";
      }
      for (const auto port : *stun_ports) {
        binding = "stun " + endpoint_text(net::ip::udp::endpoint(address, port));
        std::cout << "listening stun " << host.add_stun({address, port})
                  << " (STUN Binding; TURN and MS-TURN Allocate challenges)\n";
      }
      for (const auto port : *sqlbrowser_ports) {
        binding = "sqlbrowser " + endpoint_text(net::ip::udp::endpoint(address, port)) +
                  (reply_from ? " (replying from " + reply_from->to_string() + ")" : "");
        const auto started = host.add_sqlbrowser({address, port}, *sql_instances, reply_from);
        std::cout << "listening sqlbrowser " << started.directory
                  << (reply_from ? " (answers from " + reply_from->to_string() + ", as a cluster node does)" : "")
                  << '\n';
        for (std::size_t i = 0; i < started.services.size(); ++i)
          std::cout << "listening sql " << started.services[i] << " (instance " << (*sql_instances)[i].name
                    << ": answers TDS PRELOGIN)\n";
      }
      for (const auto port : *epm_ports) {
        binding = "epm " + endpoint_text(net::ip::tcp::endpoint(address, port));
        const auto started = host.add_epm({address, port}, *epm_interfaces, args.tower_address);
        std::cout << "listening epm " << started.directory
                  << (args.tower_address.empty() ? "" : " (towers name " + args.tower_address + ")") << '\n';
        for (std::size_t i = 0; i < started.services.size(); ++i)
          std::cout << "listening rpc " << started.services[i] << " (" << (*epm_interfaces)[i].name
                    << ", registered with the endpoint mapper: greeting, then echo)\n";
      }
      for (const auto port : *ews_ports) {
        binding = "ews " + endpoint_text(net::ip::tcp::endpoint(address, port));
        // A password on the command line would be in every `ps`: it comes from the environment.
        const char* password = std::getenv("EDGEPROBE_EWS_PASSWORD");
        std::vector<ews_mailbox> mailboxes;
        const auto at = args.ews_mailbox.find('@');
        if (password && *password)
          mailboxes.push_back({args.ews_mailbox, args.ews_mailbox.substr(0, at), password, args.ews_mailbox});
        std::cout << "listening ews " << host.add_ews({address, port}, tls->tls, mailboxes)
                  << " (Autodiscover and EWS over HTTPS; "
                  << (mailboxes.empty() ? "no mailbox: set EDGEPROBE_EWS_PASSWORD to let " + args.ews_mailbox + " log in"
                                        : "mailbox " + args.ews_mailbox + ", user " + mailboxes.front().user)
                  << ")\n";
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
  cmd->add_option("--tls", args->tls_ports, "TLS ports: 443,5061 (TLS, then greeting and echo)");
  cmd->add_option("--smtp", args->smtp_ports, "SMTP ports that upgrade with STARTTLS: 25,587");
  cmd->add_option("--stun", args->stun_ports, "UDP ports for the STUN/TURN responder: 3478");
  cmd->add_option("--sqlbrowser", args->sqlbrowser_ports,
                  "UDP ports for the SQL Server Browser responder: 1434 (each instance also gets a TCP listener)");
  cmd->add_option("--sql-instance", args->sql_instances,
                  "instances the Browser lists: NAME or NAME=TCPPORT (repeatable; default SQLEXPRESS on an ephemeral port)")
      ->take_all();
  cmd->add_option("--reply-from", args->reply_from,
                  "the Browser answers from this local address, as a clustered instance's node does");
  cmd->add_option("--epm", args->epm_ports,
                  "TCP ports for the MS-RPC endpoint mapper responder: 135 (each interface also gets a TCP listener)");
  cmd->add_option("--epm-interface", args->epm_interfaces,
                  "interfaces it registers: NAME or UUID, optionally =TCPPORT (repeatable; default emsmdb nspi rfr)")
      ->take_all();
  cmd->add_option("--tower-address", args->tower_address,
                  "the IPv4 address the endpoint mapper puts in its answers (default: the address asked)");
  cmd->add_option("--ews", args->ews_ports,
                  "HTTPS ports for the Exchange Autodiscover/EWS responder: 443 (uses --cert, or a generated one)");
  cmd->add_option("--ews-mailbox", args->ews_mailbox,
                  "the mailbox it serves (default probe@edgeprobe.test); its password comes from EDGEPROBE_EWS_PASSWORD");
  cmd->add_option("--cert", args->cert_file, "PEM certificate chain for --tls/--smtp (default: generated)");
  cmd->add_option("--key", args->key_file, "PEM key of --cert (default: read from --cert)");
  cmd->add_option("--client-ca", args->client_ca_file,
                  "PEM CA certificates: ask clients for a certificate, naming these CAs");
  cmd->add_option("--name", args->names, "names for the generated certificate (default localhost)")->take_all();
  cmd->add_option("--dns", args->dns_port, "serve the demo DNS zone on this port (UDP)");
  cmd->add_option("--address", args->addresses, "addresses to listen on (repeatable; default 0.0.0.0)")
      ->take_all();
  cmd->add_flag("--probe-responders", args->probe_responders,
                "also run each probe's reference responder on its standard port (dns: 53, stun: 3478, sqlbrowser: 1434, epm: 135)");
  cmd->callback([args, &exit_code] { exit_code = listen(*args); });
}

} // namespace edgeprobe::cli
