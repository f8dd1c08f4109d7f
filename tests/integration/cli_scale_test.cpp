// A suite of 10,000 tcp checks against loopback listeners: every check gets a
// result, none errors (no lack of descriptors, no lost check), and the JSON parses.
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "net/tcp_responder.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>

TEST_SUITE("cli") {

TEST_CASE("10,000 tcp checks against loopback listeners: 10,000 results, no error, JSON parses") {
  constexpr int checks = 10000;
  constexpr int listeners = 8;
  edgeprobe::test::io_thread io;
  std::vector<std::unique_ptr<edgeprobe::tcp_responder>> servers;
  edgeprobe::tcp_responder_options options;
  options.max_connections = 4096;
  for (int i = 0; i < listeners; ++i) {
    servers.push_back(std::make_unique<edgeprobe::tcp_responder>(
        io.executor(), boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0), options));
    servers.back()->start();
  }
  nlohmann::json suite{{"suite", "ten-thousand"}, {"defaults", {{"timeout", "10s"}}}};
  auto& list = suite["checks"] = nlohmann::json::array();
  for (int i = 0; i < checks; ++i) {
    const auto port = servers[static_cast<std::size_t>(i % listeners)]->local_endpoint().port();
    list.push_back({{"name", "listener " + std::to_string(i)},
                    {"probe", "tcp"},
                    {"target", "127.0.0.1:" + std::to_string(port)}});
  }
  edgeprobe::test::temp_dir dir;
  const auto file = dir.write("big.json", suite.dump(1));

  const auto r = edgeprobe::test::run_edgeprobe({"run", file.string(), "--format", "json"}, std::chrono::seconds(300));
  INFO(r.err.substr(0, 2000));
  CHECK(r.exit_code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["results"].size() == checks);
  std::map<std::string, int> by_status;
  for (const auto& result : doc["results"]) ++by_status[result["status"].get<std::string>()];
  CHECK(by_status["pass"] == checks);
  CHECK(by_status["error"] == 0);
  CHECK(doc["summary"]["total"] == checks);
}

} // TEST_SUITE
