#include "cli/responder_host.hpp"

#include "probes/rpc_epm/responder.hpp"
#include "probes/sqlbrowser/prelogin_responder.hpp"

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <cctype>

#include <csignal>

namespace edgeprobe::cli {

responder_host::~responder_host() {
  for (auto& r : tcp_) r->stop();
  for (auto& r : udp_) r->stop();
  for (auto& r : dns_) r->stop();
  for (auto& r : tls_) r->stop();
  for (auto& r : sqlbrowser_) r->stop();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

net::ip::tcp::endpoint responder_host::add_tcp(net::ip::tcp::endpoint at, tcp_responder_options options) {
  auto& r = tcp_.emplace_back(std::make_unique<tcp_responder>(io_.get_executor(), at, options));
  r->start();
  return r->local_endpoint();
}

net::ip::udp::endpoint responder_host::add_udp(net::ip::udp::endpoint at, udp_responder_options options) {
  auto& r = udp_.emplace_back(std::make_unique<udp_responder>(io_.get_executor(), at, options));
  r->start();
  return r->local_endpoint();
}

std::uint16_t responder_host::add_tcp_same_port(const std::vector<net::ip::address>& addresses,
                                                tcp_responder_options options) {
  // The port the first address got may be taken at another (a live connection
  // from it): then try again with a fresh one.
  constexpr int attempts = 32;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::unique_ptr<tcp_responder>> bound;
    std::uint16_t port = 0;
    try {
      for (const auto& address : addresses) {
        bound.push_back(std::make_unique<tcp_responder>(io_.get_executor(), net::ip::tcp::endpoint(address, port),
                                                        options));
        port = bound.back()->local_endpoint().port();
      }
    } catch (const boost::system::system_error&) {
      if (attempt == attempts) throw;
      continue;
    }
    for (auto& r : bound) {
      r->start();
      tcp_.push_back(std::move(r));
    }
    return port;
  }
}

net::ip::tcp::endpoint responder_host::add_tls(net::ip::tcp::endpoint at, tls_responder_options options) {
  auto& r = tls_.emplace_back(std::make_unique<tls_responder>(io_.get_executor(), at, std::move(options)));
  r->start();
  return r->local_endpoint();
}

net::ip::udp::endpoint responder_host::add_stun(net::ip::udp::endpoint at) {
  auto& r = stun_.emplace_back(std::make_unique<stun_responder>(io_.get_executor(), at));
  r->start();
  return r->local_endpoint();
}

responder_host::directory_endpoints<net::ip::udp::endpoint> responder_host::add_sqlbrowser(
    net::ip::udp::endpoint at, const std::vector<named_port>& instances, std::optional<net::ip::address> reply_from) {
  // The Browser names the server by its NetBIOS name: the host name, upper case, at most 15 characters.
  auto server = net::ip::host_name().substr(0, 15);
  std::transform(server.begin(), server.end(), server.begin(), [](unsigned char c) { return std::toupper(c); });
  directory_endpoints<net::ip::udp::endpoint> out;
  sqlbrowser_responder_options options;
  options.reply_from = reply_from;
  for (const auto& spec : instances) {
    const auto sql = add_tcp({at.address(), spec.tcp_port}, sql_prelogin_responder_options({{15, 0, 2000, 0}, spec.name}));
    out.services.push_back(sql);
    ssrp::instance record;
    record.server_name = server;
    record.instance_name = spec.name;
    record.is_clustered = reply_from.has_value();
    record.version = "15.0.2000.5";
    record.tcp = sql.port();
    record.np = "\\\\" + server + "\\pipe\\MSSQL$" + spec.name + "\\sql\\query";
    options.instances.push_back(std::move(record));
  }
  auto& r = sqlbrowser_.emplace_back(std::make_unique<sqlbrowser_responder>(io_.get_executor(), at, std::move(options)));
  r->start();
  out.directory = r->local_endpoint();
  return out;
}

responder_host::directory_endpoints<net::ip::tcp::endpoint> responder_host::add_epm(
    net::ip::tcp::endpoint at, const std::vector<named_port>& interfaces, const std::string& tower_address) {
  directory_endpoints<net::ip::tcp::endpoint> out;
  epm_responder_options options;
  options.tower_address = tower_address;
  for (const auto& spec : interfaces) {
    const auto* known = dcerpc::find_interface(spec.name);
    const auto uuid = dcerpc::parse_uuid(spec.name);
    if (!known && !uuid) continue;
    const auto service = add_tcp({at.address(), spec.tcp_port});
    out.services.push_back(service);
    options.registrations.push_back({known ? known->id : dcerpc::syntax_id{*uuid, 1, 0}, service.port(),
                                     known ? std::string(known->description) : spec.name});
  }
  out.directory = add_tcp(at, epm_responder_tcp_options(std::move(options)));
  return out;
}

net::ip::tcp::endpoint responder_host::add_ews(net::ip::tcp::endpoint at, tls_server_settings tls,
                                               std::vector<ews_mailbox> mailboxes) {
  ews_responder_options options;
  options.mailboxes = std::move(mailboxes); // ews_url stays empty: built from the Host the client asked
  return add_tls(at, ews_https_options(std::move(options), std::move(tls)));
}

std::uint16_t responder_host::add_dns(net::ip::address at, std::uint16_t port, dns_zone zone) {
  auto& r = dns_.emplace_back(std::make_unique<dns_responder>(io_.get_executor(), at, port, std::move(zone)));
  r->start();
  return r->port();
}

void responder_host::start() {
  thread_ = std::thread([this] {
    // Responders keep the context busy; the guard keeps it alive if all of them
    // fail to accept for a moment.
    auto guard = net::make_work_guard(io_);
    io_.run();
  });
}

void responder_host::wait_for_signal() {
  net::io_context waiter;
  net::signal_set signals(waiter, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  waiter.run();
}

std::uint16_t unused_tcp_port(const net::ip::address& address) {
  net::io_context io;
  net::ip::tcp::acceptor probe_socket(io, {address, 0});
  return probe_socket.local_endpoint().port();
}

std::uint16_t unused_udp_port(const net::ip::address& address) {
  net::io_context io;
  net::ip::udp::socket probe_socket(io, {address, 0});
  return probe_socket.local_endpoint().port();
}

} // namespace edgeprobe::cli
