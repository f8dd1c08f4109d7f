#include "probes/sqlbrowser/prelogin_responder.hpp"

#include "core/deadline.hpp"
#include "probes/sqlbrowser/ssrp.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace edgeprobe {

std::optional<std::vector<std::uint8_t>> sql_prelogin_answer(std::span<const std::uint8_t> packet,
                                                             const sql_prelogin_server& server) {
  const auto asked = tds::parse_client_prelogin(packet);
  if (!asked) return std::nullopt;
  tds::server_prelogin answer;
  answer.version = server.version;
  answer.encryption = tds::encrypt::off;
  // [MS-TDS] 2.2.6.5 INSTOPT: 0x00 when the client named no instance or this one.
  const bool other_instance = !server.instance.empty() && !asked.value->instance.empty() &&
                              !ssrp::same_instance_name(asked.value->instance, server.instance);
  answer.instance_validity = other_instance ? 1 : 0;
  answer.mars = 0;
  return tds::build_server_prelogin(answer);
}

tcp_responder_options sql_prelogin_responder_options(sql_prelogin_server server) {
  tcp_responder_options options;
  options.serve_connection = [server, idle = options.idle_timeout](net::ip::tcp::socket& socket) -> net::awaitable<void> {
    // A client that connects and never speaks is dropped after the idle timeout.
    const auto deadline = clock::now() + idle;
    std::vector<std::uint8_t> got;
    std::array<std::uint8_t, 4096> chunk;
    for (;;) {
      const auto size = tds::framed_size(got);
      if (size && got.size() >= *size) {
        got.resize(*size);
        break;
      }
      auto read = co_await until(deadline, socket.async_read_some(net::buffer(chunk), net::deferred));
      if (!read || std::get<0>(*read)) co_return;
      got.insert(got.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(std::get<1>(*read)));
    }
    const auto answer = sql_prelogin_answer(got, server);
    if (!answer) co_return; // not a PRELOGIN: SQL Server closes too
    co_await until(deadline, net::async_write(socket, net::buffer(*answer), net::deferred));
  };
  return options;
}

} // namespace edgeprobe
