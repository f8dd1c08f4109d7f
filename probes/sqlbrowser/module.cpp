// The sqlbrowser module: the probe, and a SQL Server Browser (`listen
// --sqlbrowser`) listing instances, each a SQL Server stand-in answering TDS
// PRELOGIN on a TCP port of its own.
#include "core/named_port.hpp"
#include "net/endpoint_text.hpp"
#include "net/tcp_responder.hpp"
#include "probes/module.hpp"
#include "probes/sqlbrowser/prelogin_responder.hpp"
#include "probes/sqlbrowser/responder.hpp"
#include "probes/sqlbrowser/sqlbrowser_probe.hpp"
#include "wire/ascii.hpp"

#include <boost/asio/ip/host_name.hpp>

namespace edgeprobe {

namespace {

struct started_browser {
  net::ip::udp::endpoint browser;
  std::vector<net::ip::tcp::endpoint> instances; // in the order given
};

// reply_from: the Browser answers from that address, as a cluster node does.
started_browser start_browser(responder_site& site, const net::ip::address& address, std::uint16_t port,
                              const std::vector<named_port>& instances,
                              std::optional<net::ip::address> reply_from) {
  // The Browser names the server by its NetBIOS name: the host name, upper case, at most 15 characters.
  const auto server = upper_ascii(net::ip::host_name().substr(0, 15));
  started_browser out;
  sqlbrowser_responder_options options;
  options.reply_from = reply_from;
  for (const auto& spec : instances) {
    auto& sql = site.start(std::make_unique<tcp_responder>(
        site.executor(), net::ip::tcp::endpoint(address, spec.port),
        sql_prelogin_responder_options({{15, 0, 2000, 0}, spec.name})));
    out.instances.push_back(sql.local_endpoint());
    ssrp::instance record;
    record.server_name = server;
    record.instance_name = spec.name;
    record.is_clustered = reply_from.has_value();
    record.version = "15.0.2000.5";
    record.tcp = sql.local_endpoint().port();
    record.np = "\\\\" + server + "\\pipe\\MSSQL$" + spec.name + "\\sql\\query";
    options.instances.push_back(std::move(record));
  }
  auto& browser = site.start(std::make_unique<sqlbrowser_responder>(
      site.executor(), net::ip::udp::endpoint(address, port), std::move(options)));
  out.browser = browser.local_endpoint();
  return out;
}

std::string check_instance(const std::string& text) {
  const auto parsed = parse_named_port(text);
  return parsed && !parsed->name.empty() && parsed->name.size() <= 32
             ? ""
             : "give NAME or NAME=TCPPORT, a name of 1 to 32 characters, and a port up to 65535";
}

std::string check_address(const std::string& text) {
  boost::system::error_code ec;
  net::ip::make_address(text, ec);
  return ec ? "not an IP address" : "";
}

std::vector<std::string> start(responder_site& site, const net::ip::address& address, std::uint16_t port) {
  std::vector<named_port> instances;
  for (const auto& text : site.setting("sql-instance")) instances.push_back(*parse_named_port(text));
  std::optional<net::ip::address> reply_from;
  if (const auto& from = site.setting("reply-from"); !from.empty()) reply_from = net::ip::make_address(from.front());
  const auto started = start_browser(site, address, port, instances, reply_from);
  std::vector<std::string> lines{"sqlbrowser " + endpoint_text(started.browser) +
                                 (reply_from ? " (answers from " + reply_from->to_string() + ", as a cluster node does)"
                                             : "")};
  for (std::size_t i = 0; i < started.instances.size(); ++i)
    lines.push_back("sql " + endpoint_text(started.instances[i]) + " (instance " + instances[i].name +
                    ": answers TDS PRELOGIN)");
  return lines;
}

demo_vars demo(responder_site& site) {
  const auto started = start_browser(site, demo_address(), 0, {{"SALES"}, {"HR"}}, std::nullopt);
  return {{"sqlbrowser_port", std::to_string(started.browser.port())}};
}

} // namespace

probe_module sqlbrowser_module() {
  return {.make_probe = make_sqlbrowser_probe,
          .listen = {{"sqlbrowser",
                      "UDP ports for the SQL Server Browser responder: 1434 (each instance also gets a TCP listener)",
                      1434, start}},
          .settings = {{"sql-instance",
                        "instances the Browser lists: NAME or NAME=TCPPORT (repeatable; default SQLEXPRESS on an "
                        "ephemeral port)",
                        {"SQLEXPRESS"}, true, check_instance},
                       {"reply-from", "the Browser answers from this local address, as a clustered instance's node does",
                        {}, false, check_address}},
          .demo = demo};
}

} // namespace edgeprobe
