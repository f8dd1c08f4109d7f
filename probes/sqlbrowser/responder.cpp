#include "probes/sqlbrowser/responder.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace edgeprobe {

using udp = net::ip::udp;

std::optional<std::vector<std::uint8_t>> sqlbrowser_answer(std::span<const std::uint8_t> request,
                                                           const sqlbrowser_responder_options& o) {
  const auto asked = ssrp::decode_request(request);
  if (!asked) return std::nullopt;
  switch (asked.value->kind) {
    case ssrp::request_kind::bcast_ex:
    case ssrp::request_kind::ucast_ex: return ssrp::build_response(o.instances, asked.value->kind);
    case ssrp::request_kind::ucast_inst: {
      const auto it = std::find_if(o.instances.begin(), o.instances.end(), [&](const ssrp::instance& i) {
        return ssrp::same_instance_name(i.instance_name, asked.value->instance);
      });
      // [MC-SQLR] 3.2.5.3: the Browser does not answer for an instance it does not know.
      if (it == o.instances.end()) return std::nullopt;
      return ssrp::build_response(std::span(&*it, 1), asked.value->kind);
    }
    case ssrp::request_kind::ucast_dac:
      if (!o.dac_port) return std::nullopt;
      return ssrp::build_dac_response(*o.dac_port);
  }
  return std::nullopt;
}

struct sqlbrowser_responder::state {
  state(net::any_io_executor executor, sqlbrowser_responder_options o) : socket(executor), options(std::move(o)) {}
  udp::socket socket;
  std::optional<udp::socket> reply_socket;
  sqlbrowser_responder_options options;
};

net::awaitable<void> sqlbrowser_responder::serve(std::shared_ptr<state> s) {
  std::vector<std::uint8_t> buffer(65535);
  for (;;) {
    udp::endpoint from;
    auto [ec, size] = co_await s->socket.async_receive_from(net::buffer(buffer), from, net::as_tuple(net::use_awaitable));
    if (ec) co_return; // closed by stop()
    const auto answer = sqlbrowser_answer(std::span(buffer.data(), size), s->options);
    if (!answer) continue;
    auto& out = s->reply_socket ? *s->reply_socket : s->socket;
    co_await out.async_send_to(net::buffer(*answer), from, net::as_tuple(net::use_awaitable));
  }
}

sqlbrowser_responder::sqlbrowser_responder(net::any_io_executor executor, udp::endpoint bind,
                                           sqlbrowser_responder_options options)
    : state_(std::make_shared<state>(executor, std::move(options))) {
  state_->socket.open(bind.protocol());
  state_->socket.bind(bind);
  if (state_->options.reply_from) {
    // The node's own address, on the Browser's port: what a cluster node answers from.
    state_->reply_socket.emplace(executor);
    state_->reply_socket->open(bind.protocol());
    state_->reply_socket->bind(udp::endpoint(*state_->options.reply_from, state_->socket.local_endpoint().port()));
  }
}

sqlbrowser_responder::~sqlbrowser_responder() { stop(); }

udp::endpoint sqlbrowser_responder::local_endpoint() const { return state_->socket.local_endpoint(); }

void sqlbrowser_responder::start() { net::co_spawn(state_->socket.get_executor(), serve(state_), net::detached); }

void sqlbrowser_responder::stop() {
  net::post(state_->socket.get_executor(), [s = state_] {
    boost::system::error_code ignored;
    s->socket.close(ignored);
    if (s->reply_socket) s->reply_socket->close(ignored);
  });
}

} // namespace edgeprobe
