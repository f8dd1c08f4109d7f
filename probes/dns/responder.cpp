#include "probes/dns/responder.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace edgeprobe {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

} // namespace

struct dns_responder::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor ex, net::ip::address address, std::uint16_t wanted, dns_zone z)
      : udp(ex), tcp(ex), zone(std::move(z)) {
    // TCP takes the port UDP got, so one port number serves both (as DNS does).
    // With an ephemeral port the TCP side of it may be taken: try another.
    constexpr int attempts = 32;
    for (int attempt = 1;; ++attempt) {
      udp.open(address.is_v6() ? net::ip::udp::v6() : net::ip::udp::v4());
      udp.bind({address, wanted});
      const net::ip::tcp::endpoint endpoint(address, udp.local_endpoint().port());
      tcp.open(endpoint.protocol());
      tcp.set_option(net::socket_base::reuse_address(true));
      boost::system::error_code ec;
      tcp.bind(endpoint, ec);
      if (!ec) break;
      udp.close();
      tcp.close();
      if (wanted != 0 || attempt == attempts) throw boost::system::system_error(ec, "bind TCP");
    }
    tcp.listen();
    port = udp.local_endpoint().port();
  }

  net::ip::udp::socket udp;
  net::ip::tcp::acceptor tcp;
  dns_zone zone;
  std::uint16_t port = 0;

  net::awaitable<void> serve_udp() {
    auto self = shared_from_this(); // keeps the sockets alive while this loop runs
    std::array<std::uint8_t, 65535> buffer;
    for (;;) {
      net::ip::udp::endpoint from;
      auto [ec, n] = co_await udp.async_receive_from(net::buffer(buffer), from, use_tuple);
      if (ec == net::error::operation_aborted || !udp.is_open()) co_return;
      if (ec) continue; // e.g. ICMP from an earlier reply's destination: not fatal for a server
      auto reply = answer_query(zone, std::span(buffer.data(), n));
      if (!reply) continue;
      if (reply->size() > 512) { // classic UDP limit: tell the client to retry over TCP
        auto parsed = dns::parse_message(*reply);
        parsed.value->head.tc = true;
        parsed.value->answers.clear();
        parsed.value->authority.clear();
        reply = dns::encode_message(*parsed.value);
      }
      co_await udp.async_send_to(net::buffer(*reply), from, use_tuple);
    }
  }

  net::awaitable<void> serve_tcp() {
    auto self = shared_from_this();
    for (;;) {
      auto [ec, socket] = co_await tcp.async_accept(use_tuple);
      if (ec == net::error::operation_aborted || !tcp.is_open()) co_return;
      if (ec) continue;
      net::co_spawn(tcp.get_executor(), serve_connection(std::move(socket)), net::detached);
    }
  }

  // RFC 1035 4.2.2: each message is preceded by its two-byte length.
  net::awaitable<void> serve_connection(net::ip::tcp::socket socket) {
    auto self = shared_from_this();
    std::array<std::uint8_t, 2> prefix;
    std::vector<std::uint8_t> message;
    for (;;) {
      auto [ec, n] = co_await net::async_read(socket, net::buffer(prefix), use_tuple);
      if (ec) co_return;
      message.resize(static_cast<std::size_t>(prefix[0] << 8 | prefix[1]));
      std::tie(ec, n) = co_await net::async_read(socket, net::buffer(message), use_tuple);
      if (ec) co_return;
      auto reply = answer_query(zone, message);
      if (!reply || reply->size() > 0xFFFF) co_return;
      const std::array<std::uint8_t, 2> length{static_cast<std::uint8_t>(reply->size() >> 8),
                                               static_cast<std::uint8_t>(reply->size())};
      const std::array<net::const_buffer, 2> out{net::buffer(length), net::buffer(*reply)};
      std::tie(ec, n) = co_await net::async_write(socket, out, use_tuple);
      if (ec) co_return;
    }
  }
};

dns_responder::dns_responder(net::any_io_executor executor, net::ip::address address, std::uint16_t port,
                             dns_zone zone)
    : state_(std::make_shared<state>(std::move(executor), address, port, std::move(zone))) {}

dns_responder::~dns_responder() { stop(); }

std::uint16_t dns_responder::port() const { return state_->port; }

void dns_responder::start() {
  net::co_spawn(state_->udp.get_executor(), state_->serve_udp(), net::detached);
  net::co_spawn(state_->tcp.get_executor(), state_->serve_tcp(), net::detached);
}

void dns_responder::stop() {
  boost::system::error_code ignored;
  state_->udp.close(ignored);
  state_->tcp.close(ignored);
}

} // namespace edgeprobe
