// What one probe folder gives the rest of edgeprobe: its probe, and the
// reference responders that `edgeprobe listen` and `edgeprobe demo` run for it.
// Each folder defines one module (its module.cpp); probes/modules.cpp lists them.
// The cli and serve walk that list and never name a probe, so adding a probe
// touches its own folder and one line of the list.
#pragma once
#include "core/probe.hpp"
#include "net/tls_context.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeprobe {

// Where a module's responders run: the host `listen` or `demo` keeps them on.
class responder_site {
public:
  virtual ~responder_site() = default;

  virtual net::any_io_executor executor() = 0;

  // Starts a responder and keeps it until the host stops, then calls its stop().
  template <class Responder> Responder& start(std::unique_ptr<Responder> responder) {
    Responder& r = *responder;
    std::shared_ptr<Responder> kept = std::move(responder);
    keep(kept, [kept] { kept->stop(); });
    r.start();
    return r;
  }

  // The TLS server side every TLS responder of this host serves: the user's
  // --cert/--key/--client-ca, or a chain from a root generated for this run.
  // Throws std::runtime_error with a message for the user when it cannot be had.
  virtual const tls_server_settings& tls() = 0;
  // The PEM root that signed tls()'s chain when the host generated it ("" when
  // the user gave the certificate): what a client's ca_file must hold.
  virtual std::string generated_root_pem() = 0;

  // The values of a module's own `listen` settings (see probe_module::settings),
  // defaults applied.
  virtual const std::vector<std::string>& setting(std::string_view name) const = 0;

protected:
  virtual void keep(std::shared_ptr<void> responder, std::function<void()> stop) = 0;
};

// `edgeprobe listen --NAME PORTS`: the module starts its responder on each port.
struct listen_flag {
  std::string_view name;             // the flag without "--": "tcp"
  std::string_view help;
  std::uint16_t well_known_port = 0; // --probe-responders starts one here (0: it does not)
  // Starts the responder(s) for one address and port. Returns what to print,
  // a line each: "tcp 0.0.0.0:443 (greeting, then echo)". Throws
  // boost::system::system_error when a port cannot be bound, and
  // std::invalid_argument for a setting that cannot be used (its message names it).
  std::function<std::vector<std::string>(responder_site&, const net::ip::address&, std::uint16_t port)> start;
};

// A further `listen` flag a module's responders read (`--sql-instance SALES`).
struct listen_setting {
  std::string_view name; // the flag without "--"
  std::string_view help;
  std::vector<std::string> defaults = {};
  bool repeatable = false; // takes several values
  // Why a value cannot be used ("" when it can), checked before anything is
  // bound: `listen` then prints "--NAME VALUE: WHY" and exits 2.
  std::function<std::string(const std::string& value)> check = {};
};

// The responders `edgeprobe demo` starts for its suite (suites/demo.json), on
// demo_address() (and 127.0.0.2 where a check needs two addresses). Returns the
// suite variables that name them ("tcp_port": "40123").
using demo_vars = std::map<std::string, std::string>;
using demo_starter = std::function<demo_vars(responder_site&)>;

inline net::ip::address demo_address() { return net::ip::make_address_v4("127.0.0.1"); }

// A port on `address` that nothing listens on right now (bound, then
// released): what the demo's "must be closed" checks point at. Protocol is
// net::ip::tcp or net::ip::udp.
template <class Protocol> std::uint16_t unused_port(const net::ip::address& address) {
  net::io_context io;
  typename Protocol::socket socket(io, typename Protocol::endpoint(address, 0));
  return socket.local_endpoint().port();
}

struct probe_module {
  std::function<std::unique_ptr<probe>()> make_probe;
  std::vector<listen_flag> listen = {};
  std::vector<listen_setting> settings = {};
  demo_starter demo = {};
};

} // namespace edgeprobe
