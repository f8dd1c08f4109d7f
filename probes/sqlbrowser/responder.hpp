// The sqlbrowser reference responder: a SQL Server Browser on UDP that answers
// CLNT_UCAST_EX with every configured instance, CLNT_UCAST_INST with the one
// asked (and, like the real one, nothing at all for an unknown name) and
// CLNT_UCAST_DAC with the DAC port — optionally from a second address, as a
// clustered instance's node does. For `demo`, `listen` and the tests.
#pragma once
#include "probes/sqlbrowser/ssrp.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

struct sqlbrowser_responder_options {
  std::vector<ssrp::instance> instances;
  std::optional<std::uint16_t> dac_port;          // answer CLNT_UCAST_DAC with it
  std::optional<net::ip::address> reply_from;     // clustered: answer from this address instead
};

// The answer to one datagram; nullopt: stay silent (not SSRP, or an unknown instance).
std::optional<std::vector<std::uint8_t>> sqlbrowser_answer(std::span<const std::uint8_t> request,
                                                           const sqlbrowser_responder_options& options);

class sqlbrowser_responder {
public:
  // Binds at once (port 0: an ephemeral port); throws boost::system::system_error.
  sqlbrowser_responder(net::any_io_executor executor, net::ip::udp::endpoint bind, sqlbrowser_responder_options options);
  ~sqlbrowser_responder();
  sqlbrowser_responder(const sqlbrowser_responder&) = delete;
  sqlbrowser_responder& operator=(const sqlbrowser_responder&) = delete;

  net::ip::udp::endpoint local_endpoint() const;
  void start();
  void stop();

private:
  struct state;
  static net::awaitable<void> serve(std::shared_ptr<state> s);
  std::shared_ptr<state> state_;
};

} // namespace edgeprobe
