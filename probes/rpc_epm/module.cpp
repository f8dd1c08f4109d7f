// The rpc-epm module: the probe, and an MS-RPC endpoint mapper (`listen --epm`)
// registering interfaces, each served by a tcp responder on a port of its own.
#include "core/named_port.hpp"
#include "net/endpoint_text.hpp"
#include "probes/module.hpp"
#include "probes/rpc_epm/epm_probe.hpp"
#include "probes/rpc_epm/responder.hpp"

namespace edgeprobe {

namespace {

using tcp = net::ip::tcp;

struct started_mapper {
  tcp::endpoint mapper;
  std::vector<tcp::endpoint> services; // in the order given
};

// `interfaces`: names or UUIDs that dcerpc::find_interface/parse_uuid know.
// tower_address: the IPv4 address put in towers ("": the one asked).
started_mapper start_mapper(responder_site& site, const net::ip::address& address, std::uint16_t port,
                            const std::vector<named_port>& interfaces, const std::string& tower_address) {
  started_mapper out;
  epm_responder_options options;
  options.tower_address = tower_address;
  for (const auto& spec : interfaces) {
    const auto* known = dcerpc::find_interface(spec.name);
    const auto uuid = dcerpc::parse_uuid(spec.name);
    auto& service = site.start(std::make_unique<tcp_responder>(site.executor(), tcp::endpoint(address, spec.port)));
    out.services.push_back(service.local_endpoint());
    options.registrations.push_back({known ? known->id : dcerpc::syntax_id{*uuid, 1, 0},
                                     service.local_endpoint().port(),
                                     known ? std::string(known->description) : spec.name});
  }
  auto& mapper = site.start(std::make_unique<tcp_responder>(site.executor(), tcp::endpoint(address, port),
                                                            epm_responder_tcp_options(std::move(options))));
  out.mapper = mapper.local_endpoint();
  return out;
}

std::string check_interface(const std::string& text) {
  const auto parsed = parse_named_port(text);
  return parsed && (dcerpc::find_interface(parsed->name) || dcerpc::parse_uuid(parsed->name))
             ? ""
             : "give NAME or NAME=TCPPORT, NAME an interface `edgeprobe probes rpc-epm` lists, or a UUID, and a "
               "port up to 65535";
}

std::string check_tower_address(const std::string& text) {
  boost::system::error_code ec;
  net::ip::make_address_v4(text, ec);
  return ec ? "not an IPv4 address" : "";
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  std::vector<named_port> interfaces;
  for (const auto& text : site.setting("epm-interface")) interfaces.push_back(*parse_named_port(text));
  const auto& tower = site.setting("tower-address");
  const std::string tower_address = tower.empty() ? "" : tower.front();
  const auto started = start_mapper(site, address, port, interfaces, tower_address);
  std::vector<std::string> lines{"epm " + endpoint_text(started.mapper) +
                                 (tower_address.empty() ? "" : " (towers name " + tower_address + ")")};
  for (std::size_t i = 0; i < started.services.size(); ++i)
    lines.push_back("rpc " + endpoint_text(started.services[i]) + " (" + interfaces[i].name +
                    ", registered with the endpoint mapper: greeting, then echo)");
  return lines;
}

demo_vars demo(responder_site& site) {
  const auto started =
      start_mapper(site, demo_address(), 0, {{"emsmdb"}, {"nspi"}, {"rfr"}}, "");
  return {{"epm_port", std::to_string(started.mapper.port())}};
}

} // namespace

probe_module rpc_epm_module() {
  return {.make_probe = make_epm_probe,
          .listen = {{"epm",
                      "TCP ports for the MS-RPC endpoint mapper responder: 135 (each interface also gets a TCP "
                      "listener)",
                      135, start}},
          .settings = {{"epm-interface",
                        "interfaces it registers: NAME or UUID, optionally =TCPPORT (repeatable; default emsmdb nspi "
                        "rfr)",
                        {"emsmdb", "nspi", "rfr"}, true, check_interface},
                       {"tower-address",
                        "the IPv4 address the endpoint mapper puts in its answers (default: the address asked)", {},
                        false, check_tower_address}},
          .demo = demo};
}

} // namespace edgeprobe
