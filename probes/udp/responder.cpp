#include "probes/udp/responder.hpp"

#include "net/responder_greeting.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

namespace edgeprobe {

using udp = net::ip::udp;

// Shared with the serving coroutine, which may outlive the udp_responder object
// by the time it takes to see its socket closed.
struct udp_responder::state {
  state(net::any_io_executor executor, udp_responder_options o) : socket(executor), options(std::move(o)) {}
  udp::socket socket;
  std::optional<udp::socket> reply_socket;
  udp_responder_options options;
  udp::endpoint local;
  std::atomic<std::size_t> received{0};
};

namespace {

std::string answer_for(const udp::endpoint& you, const udp::endpoint& me, const std::uint8_t* data, std::size_t size,
                       std::size_t max_reply) {
  std::string reply = format_greeting(
      {"udp", you.address().to_string(), you.port(), me.address().to_string(), me.port()});
  const std::size_t room = max_reply > reply.size() ? max_reply - reply.size() : 0;
  reply.append(reinterpret_cast<const char*>(data), std::min(size, room));
  reply.resize(std::min(reply.size(), max_reply));
  return reply;
}

} // namespace

// A server waits for clients indefinitely by design: no deadline here, stop()
// ends it by closing the socket.
net::awaitable<void> udp_responder::serve(std::shared_ptr<state> s) {
  std::vector<std::uint8_t> buffer(65535);
  for (;;) {
    udp::endpoint from;
    auto [ec, size] = co_await s->socket.async_receive_from(net::buffer(buffer), from,
                                                            net::as_tuple(net::use_awaitable));
    if (ec) co_return; // closed by stop(); without IP_RECVERR no ICMP errors reach this socket
    ++s->received;
    if (s->options.silent) continue;
    const auto reply = answer_for(from, s->local, buffer.data(), size, s->options.max_reply);
    auto& out = s->reply_socket ? *s->reply_socket : s->socket;
    // A failed send is the prober's to notice (it sees silence); keep serving.
    co_await out.async_send_to(net::buffer(reply), from, net::as_tuple(net::use_awaitable));
  }
}

udp_responder::udp_responder(net::any_io_executor executor, udp::endpoint bind, udp_responder_options options)
    : state_(std::make_shared<state>(executor, std::move(options))) {
  state_->socket.open(bind.protocol());
  state_->socket.bind(bind);
  state_->local = state_->socket.local_endpoint();
  const auto& o = state_->options;
  if (o.reply_from || o.reply_from_port != 0) {
    state_->reply_socket.emplace(executor);
    state_->reply_socket->open(bind.protocol());
    state_->reply_socket->bind(udp::endpoint(o.reply_from.value_or(state_->local.address()),
                                             o.reply_from_port != 0 ? o.reply_from_port : state_->local.port()));
  }
}

udp_responder::~udp_responder() { stop(); }

udp::endpoint udp_responder::local_endpoint() const { return state_->local; }

void udp_responder::start() { net::co_spawn(state_->socket.get_executor(), serve(state_), net::detached); }

void udp_responder::stop() {
  net::post(state_->socket.get_executor(), [s = state_] {
    boost::system::error_code ignored;
    s->socket.close(ignored);
    if (s->reply_socket) s->reply_socket->close(ignored);
  });
}

std::size_t udp_responder::received() const { return state_->received; }

} // namespace edgeprobe
