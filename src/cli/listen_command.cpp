// edgeprobe listen: stand-in responders to run on the far side of a firewall
// before the real service exists, so the path can be proven end to end. The
// flags are the probe modules' own (probes/modules.hpp): `--tcp PORTS` is the
// tcp module's, `--sql-instance` the sqlbrowser module's.
#include "cli/commands.hpp"
#include "cli/responder_host.hpp"
#include "core/exit_code.hpp"
#include "core/port_set.hpp"
#include "core/text_file.hpp"
#include "net/endpoint_text.hpp"
#include "net/responder_pki.hpp"
#include "probes/modules.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

namespace edgeprobe::cli {

namespace {

struct listen_args {
  std::map<std::string, std::string> ports;                       // a module's flag → "443,5061"
  std::map<std::string, std::vector<std::string>> list_settings;  // repeatable module settings
  std::map<std::string, std::string> single_settings;             // the others
  std::string cert_file, key_file, client_ca_file;
  std::vector<std::string> names{"localhost"}; // for the generated certificate
  bool probe_responders = false;
  std::vector<std::string> addresses{"0.0.0.0"};
};

// "80,443,5060-5061" → ports; the same rules as the tcp probe's source_port.
std::optional<std::vector<std::uint16_t>> parse_ports(const std::string& text, const std::string& flag) {
  if (text.empty()) return std::vector<std::uint16_t>{};
  auto items = nlohmann::json::array();
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) items.push_back(item);
  std::string error;
  auto ports = parse_port_set(items, error);
  if (!ports) std::cerr << "edgeprobe listen: --" << flag << ' ' << text << ": " << error << '\n';
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

// Every module setting's values, defaults applied; nullopt (after saying why)
// when one cannot be used.
std::optional<std::map<std::string, std::vector<std::string>>> module_settings(const listen_args& args) {
  std::map<std::string, std::vector<std::string>> out;
  bool ok = true;
  for (const auto& module : builtin_modules()) {
    for (const auto& setting : module.settings) {
      const std::string name(setting.name);
      auto& values = out[name];
      if (setting.repeatable) values = args.list_settings.at(name);
      else if (const auto& value = args.single_settings.at(name); !value.empty()) values = {value};
      else values = setting.defaults;
      for (const auto& value : values) {
        const auto why = setting.check ? setting.check(value) : std::string();
        if (why.empty()) continue;
        std::cerr << "edgeprobe listen: --" << name << ' ' << value << ": " << why << '\n';
        ok = false;
      }
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// The TLS responders' settings: the given certificate, or one from a root made
// now, written next to the system's temporary files so clients can trust it.
responder_host::tls_source tls_source(const listen_args& args, const std::vector<net::ip::address>& addresses) {
  return [args, addresses](std::string& generated_root) {
    tls_server_settings tls;
    std::string error;
    auto read = [&](const std::string& path, std::string& into, const char* flag) {
      if (!path.empty() && !read_text_file(path, into, error))
        throw std::runtime_error(std::string(flag) + ' ' + path + ": " + error);
    };
    read(args.cert_file, tls.chain_pem, "--cert");
    read(args.key_file.empty() ? args.cert_file : args.key_file, tls.key_pem, "--key");
    read(args.client_ca_file, tls.client_ca_pem, "--client-ca");
    if (args.cert_file.empty()) {
      std::vector<std::string> ips;
      for (const auto& a : addresses) ips.push_back(a.to_string());
      const auto pki = generate_responder_pki(args.names, ips);
      tls.chain_pem = pki.chain_pem;
      tls.key_pem = pki.key_pem;
      generated_root = pki.root_pem;
      const auto root =
          std::filesystem::temp_directory_path() / ("edgeprobe-listen-root-" + std::to_string(getpid()) + ".pem");
      std::ofstream(root) << pki.root_pem;
      std::cout << "no --cert: serving a certificate for " << args.names.front()
                << " from a generated root; trust it with \"ca_file\": \"" << root.string() << "\"\n";
    }
    return tls;
  };
}

int listen(const listen_args& args) {
  // Each module flag's ports; --probe-responders adds the well-known port of
  // those that have one.
  std::vector<std::pair<const listen_flag*, std::vector<std::uint16_t>>> planned;
  bool ports_ok = true;
  for (const auto& module : builtin_modules()) {
    for (const auto& flag : module.listen) {
      auto ports = parse_ports(args.ports.at(std::string(flag.name)), std::string(flag.name));
      if (!ports) {
        ports_ok = false;
        continue;
      }
      if (args.probe_responders && ports->empty() && flag.well_known_port) ports->push_back(flag.well_known_port);
      planned.emplace_back(&flag, std::move(*ports));
    }
  }
  const auto settings = module_settings(args);
  const auto addresses = parse_addresses(args.addresses);
  if (!ports_ok || !settings || !addresses) return exit_invalid;
  if (std::all_of(planned.begin(), planned.end(), [](const auto& p) { return p.second.empty(); })) {
    std::string flags;
    for (const auto& [flag, ports] : planned) flags += "--" + std::string(flag->name) + " PORTS, ";
    std::cerr << "edgeprobe listen: nothing to listen on; give " << flags << "or --probe-responders\n";
    return exit_invalid;
  }

  responder_host host(tls_source(args, *addresses), *settings);
  std::string binding; // what is being bound, for the message if it cannot be
  try {
    for (const auto& address : *addresses) {
      for (const auto& [flag, ports] : planned) {
        for (const auto port : ports) {
          binding = std::string(flag->name) + " " + endpoint_text(address, port);
          for (const auto& line : flag->start(host, address, port)) std::cout << "listening " << line << '\n';
        }
      }
    }
  } catch (const boost::system::system_error& e) {
    // e.what() carries Boost's source location, which tells a user nothing.
    const bool privileged = e.code() == boost::system::errc::permission_denied;
    std::cerr << "edgeprobe listen: cannot listen on " << binding << ": " << e.code().message()
              << (privileged ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : "") << '\n';
    return exit_invalid;
  } catch (const std::exception& e) { // a certificate or key that cannot be read or used
    std::cerr << "edgeprobe listen: " << e.what() << '\n';
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
  std::string well_known;
  for (const auto& module : builtin_modules()) {
    for (const auto& flag : module.listen) {
      const std::string name(flag.name);
      cmd->add_option("--" + name, args->ports[name], std::string(flag.help));
      if (flag.well_known_port)
        well_known += (well_known.empty() ? "" : ", ") + name + ": " + std::to_string(flag.well_known_port);
    }
    for (const auto& setting : module.settings) {
      const std::string name(setting.name);
      if (setting.repeatable) {
        auto& values = args->list_settings[name] = setting.defaults;
        cmd->add_option("--" + name, values, std::string(setting.help))->take_all();
      } else {
        cmd->add_option("--" + name, args->single_settings[name], std::string(setting.help));
      }
    }
  }
  cmd->add_option("--cert", args->cert_file, "PEM certificate chain for the TLS responders (default: generated)");
  cmd->add_option("--key", args->key_file, "PEM key of --cert (default: read from --cert)");
  cmd->add_option("--client-ca", args->client_ca_file,
                  "PEM CA certificates: ask clients for a certificate, naming these CAs");
  cmd->add_option("--name", args->names, "names for the generated certificate (default localhost)")->take_all();
  cmd->add_option("--address", args->addresses, "addresses to listen on (repeatable; default 0.0.0.0)")
      ->take_all();
  cmd->add_flag("--probe-responders", args->probe_responders,
                "also run each probe's reference responder on its standard port (" + well_known + ")");
  cmd->callback([args, &exit_code] { exit_code = listen(*args); });
}

} // namespace edgeprobe::cli
