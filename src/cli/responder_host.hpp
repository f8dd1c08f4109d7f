// The reference responders that `demo` and `listen` run: one io_context on its
// own thread serving every responder, so the runner (or the signal wait) keeps
// the calling thread.
#pragma once
#include "net/tcp_responder.hpp"
#include "probes/dns/responder.hpp"
#include "probes/ews/responder.hpp"
#include "probes/sqlbrowser/responder.hpp"
#include "probes/stun/responder.hpp"
#include "probes/tls/responder.hpp"
#include "probes/udp/responder.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <thread>
#include <vector>

namespace edgeprobe::cli {

class responder_host {
public:
  responder_host() = default;
  ~responder_host(); // stops every responder and the thread
  responder_host(const responder_host&) = delete;
  responder_host& operator=(const responder_host&) = delete;

  // Each binds at once (port 0: an ephemeral one) and throws
  // boost::system::system_error when it cannot; returns where it listens.
  net::ip::tcp::endpoint add_tcp(net::ip::tcp::endpoint at, tcp_responder_options options = {});
  net::ip::udp::endpoint add_udp(net::ip::udp::endpoint at, udp_responder_options options = {});
  net::ip::tcp::endpoint add_tls(net::ip::tcp::endpoint at, tls_responder_options options);
  std::uint16_t add_dns(net::ip::address at, std::uint16_t port, dns_zone zone);
  net::ip::udp::endpoint add_stun(net::ip::udp::endpoint at);
  // A directory service and the services it names: each gets a TCP listener
  // on the directory's address, on tcp_port (0: an ephemeral port).
  struct named_port {
    std::string name;
    std::uint16_t tcp_port = 0;
  };
  template <class Endpoint> struct directory_endpoints {
    Endpoint directory;
    std::vector<net::ip::tcp::endpoint> services; // in the order given
  };
  // A SQL Server Browser listing `instances`, each a SQL Server stand-in
  // answering TDS PRELOGIN. reply_from: answer from that address, as a cluster node does.
  directory_endpoints<net::ip::udp::endpoint> add_sqlbrowser(net::ip::udp::endpoint at,
                                                             const std::vector<named_port>& instances,
                                                             std::optional<net::ip::address> reply_from = std::nullopt);
  // An MS-RPC endpoint mapper registering `interfaces` (names or UUIDs that
  // dcerpc::find_interface/parse_uuid know; others are skipped), each a tcp
  // responder. tower_address: the IPv4 address put in towers ("": the one asked).
  directory_endpoints<net::ip::tcp::endpoint> add_epm(net::ip::tcp::endpoint at, const std::vector<named_port>& interfaces,
                                                      const std::string& tower_address = {});
  // One tcp responder per address, all on one ephemeral port number (a name that
  // resolves to all of them); returns the port.
  std::uint16_t add_tcp_same_port(const std::vector<net::ip::address>& addresses,
                                  tcp_responder_options options = {});

  // An Exchange stand-in over HTTPS: Autodiscover and EWS for `mailboxes`,
  // 401 with Negotiate, NTLM and Basic, NTLM verified.
  net::ip::tcp::endpoint add_ews(net::ip::tcp::endpoint at, tls_server_settings tls, std::vector<ews_mailbox> mailboxes);

  void start(); // serves on a background thread from now on

  // For `listen`: blocks until SIGINT or SIGTERM.
  static void wait_for_signal();

private:
  net::io_context io_;
  std::vector<std::unique_ptr<tcp_responder>> tcp_;
  std::vector<std::unique_ptr<udp_responder>> udp_;
  std::vector<std::unique_ptr<dns_responder>> dns_;
  std::vector<std::unique_ptr<tls_responder>> tls_;
  std::vector<std::unique_ptr<stun_responder>> stun_;
  std::vector<std::unique_ptr<sqlbrowser_responder>> sqlbrowser_;
  std::thread thread_;
};

// A port on `address` that nothing listens on right now (bound, then released):
// what the demo's "must be closed" checks point at.
std::uint16_t unused_tcp_port(const net::ip::address& address);
std::uint16_t unused_udp_port(const net::ip::address& address);

} // namespace edgeprobe::cli
