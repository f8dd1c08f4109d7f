// Identical lookups in flight share one query: 50 dns checks of one name at
// once, against a DNS server (the demo zone's answers) that holds each answer
// 100 ms so every question overlaps the first, send one query and all pass.
#include "probes/dns/responder.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>

using namespace edgeprobe;
using udp = net::ip::udp;

namespace {

// Counts the queries it receives and answers each 100 ms later.
struct slow_dns_server {
  slow_dns_server() : socket(io.executor(), udp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    net::co_spawn(io.executor(), serve(), net::detached);
  }

  net::awaitable<void> serve() {
    std::vector<std::uint8_t> buffer(4096);
    for (;;) {
      udp::endpoint from;
      auto [ec, n] = co_await socket.async_receive_from(net::buffer(buffer), from, net::as_tuple(net::use_awaitable));
      if (ec == net::error::operation_aborted) co_return;
      if (ec) continue;
      ++queries;
      auto reply = answer_query(zone, std::span(buffer.data(), n));
      if (reply) net::co_spawn(socket.get_executor(), answer_later(std::move(*reply), from), net::detached);
    }
  }

  net::awaitable<void> answer_later(std::vector<std::uint8_t> reply, udp::endpoint to) {
    net::steady_timer hold(socket.get_executor(), std::chrono::milliseconds(100));
    co_await hold.async_wait(net::as_tuple(net::use_awaitable));
    co_await socket.async_send_to(net::buffer(reply), to, net::as_tuple(net::use_awaitable));
  }

  std::uint16_t port() const { return socket.local_endpoint().port(); }

  test::io_thread io; // declared first: outlives the socket it serves
  udp::socket socket;
  dns_zone zone = demo_zone({net::ip::make_address("127.0.0.1")});
  std::atomic<int> queries{0};
};

} // namespace

TEST_SUITE("dns") {

TEST_CASE("dns: 50 checks of one name at once share one query, and each check has the answer") {
  slow_dns_server server;
  test::temp_dir dir;
  nlohmann::json checks = nlohmann::json::array();
  for (int i = 0; i < 50; ++i)
    checks.push_back({{"name", "dns " + std::to_string(i)}, {"probe", "dns"}, {"target", "demo.edgeprobe.test"},
                      {"type", "A"}});
  const auto suite = dir.write("same.json", nlohmann::json{{"suite", "coalesced"},
                                                           {"defaults", {{"resolver", "127.0.0.1:" +
                                                                                          std::to_string(server.port())}}},
                                                           {"checks", checks}}
                                                .dump());
  // One thread: each thread has its own resolver, and coalesces its own lookups.
  const auto r = test::run_edgeprobe({"run", suite.string(), "--format", "json", "--threads", "1"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto results = nlohmann::json::parse(r.out)["results"];
  REQUIRE(results.size() == 50);
  for (const auto& c : results) {
    CHECK(c["status"] == "pass");
    CHECK(c["details"]["queries"][0]["answers"].get<int>() >= 1);
  }
  CHECK(server.queries == 1);
}

}
