#include "support/serve_process.hpp"

#include "net/tcp_responder.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <regex>

namespace edgeprobe::test {

serve_process::serve_process(const std::filesystem::path& config)
    : process_(std::make_unique<background_process>(
          std::vector<std::string>{EDGEPROBE_BINARY, "serve", "--config", config.string()}, true)) {
  const auto said = process_->read_until("; suites: ");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(said, m, std::regex(R"((https?://127\.0\.0\.1:(\d+)))")), said);
  url_ = m[1];
  port_ = static_cast<std::uint16_t>(std::stoi(m[2]));
}

open_loopback_port::open_loopback_port()
    : responder_(std::make_unique<tcp_responder>(
          io_.executor(), boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), 0})) {
  responder_->start();
  port_ = responder_->local_endpoint().port();
}

open_loopback_port::~open_loopback_port() { responder_->stop(); }

std::uint16_t refusing_loopback_port() {
  static const std::uint16_t port = [] {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    return ntohs(address.sin_port); // fd stays open until the process ends
  }();
  return port;
}

std::string pass_and_fail_suite(const std::string& name, std::uint16_t open_port) {
  return R"({"suite": ")" + name + R"(", "checks": [
    {"name": "open port", "probe": "tcp", "target": "127.0.0.1:)" + std::to_string(open_port) + R"("},
    {"name": "closed port", "probe": "tcp", "target": "127.0.0.1:)" + std::to_string(refusing_loopback_port()) + R"("}]})";
}

std::string serve_config(const std::string& file, const std::string& interval, const std::string& extra) {
  return R"({"listen": "127.0.0.1:0", )" + extra + R"("suites": [{"file": ")" + file + R"(", "interval": ")" + interval +
         R"("}]})";
}

double metric_value(const std::string& metrics, const std::string& series) {
  std::smatch m;
  if (!std::regex_search(metrics, m, std::regex("\n" + series + " ([0-9.e+]+)\n"))) return -1;
  return std::stod(m[1]);
}

int time_wait_count(std::uint16_t port) {
  const auto p = std::to_string(port);
  const auto r = run_process({"ss", "-Htan", "state", "time-wait", "( dport = :" + p + " or sport = :" + p + " )"});
  REQUIRE(r.exit_code == 0);
  return static_cast<int>(std::count(r.out.begin(), r.out.end(), '\n'));
}

http_reply curl_get(const std::string& url, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{"curl", "-s", "-S", "--max-time", "20", "-D", "/dev/stderr", "-o", "-", "-w",
                                "\n%{http_code}"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  const auto r = run_process(argv, std::chrono::seconds(30));
  http_reply out;
  out.headers = r.err;
  const auto last = r.out.rfind('\n');
  if (last == std::string::npos) return out;
  out.status = std::atoi(r.out.c_str() + last + 1);
  out.body = r.out.substr(0, last);
  return out;
}

} // namespace edgeprobe::test
