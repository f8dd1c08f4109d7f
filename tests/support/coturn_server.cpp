#include "support/coturn_server.hpp"

#include "probes/stun/requests.hpp"
#include "support/tls_servers.hpp"    // wait_for_listener
#include "support/unbound_server.hpp" // free_loopback_port

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace edgeprobe::test {

namespace {

// Whether something answers a STUN Binding on UDP 127.0.0.1:port within 100 ms.
bool answers_binding(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  timeval tv{0, 100000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const auto request = stun::binding_request(stun::new_transaction_id());
  ::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  std::uint8_t buffer[1024];
  const bool answered = ::recv(fd, buffer, sizeof buffer, 0) > 0;
  ::close(fd);
  return answered;
}

} // namespace

coturn_server::coturn_server(coturn_options o) : options_(std::move(o)), port_(free_loopback_port()) {
  const auto d = dir_.path().string();
  std::ostringstream conf;
  conf << "listening-ip=127.0.0.1\nlistening-port=" << port_ << "\n"
       << "relay-ip=127.0.0.1\n"
       // A relay port range of this run's own, away from the usual ephemeral range.
       << "min-port=" << 20000 + port_ % 20000 << "\nmax-port=" << 20000 + port_ % 20000 + 50 << "\n"
       << "realm=" << options_.realm << "\nlt-cred-mech\n"
       << "user=" << options_.username << ":" << options_.password << "\n"
       << "fingerprint\nno-dtls\nno-cli\nno-multicast-peers\nallow-loopback-peers\n"
       << "pidfile=" << d << "/turnserver.pid\nlog-file=" << d << "/turn.log\nsimple-log\nverbose\n"
       << "no-stdout-log\n";
  if (options_.stale_nonce_seconds > 0) conf << "stale-nonce=" << options_.stale_nonce_seconds << "\n";
  if (!options_.tls_cert.empty()) {
    tls_port_ = free_loopback_port();
    conf << "tls-listening-port=" << tls_port_ << "\ncert=" << options_.tls_cert.string()
         << "\npkey=" << options_.tls_key.string() << "\n";
  } else {
    conf << "no-tls\n";
  }
  const auto file = dir_.write("turnserver.conf", conf.str());
  process_ = std::make_unique<background_process>(std::vector<std::string>{"turnserver", "-c", file.string()});
  // coturn opens its TCP and UDP listeners separately: wait for both.
  wait_for_listener(port_);
  if (tls_port_) wait_for_listener(tls_port_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!answers_binding(port_))
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "coturn does not answer on UDP " << port_);
}

coturn_server::~coturn_server() { process_->stop(SIGTERM); }

std::string coturn_server::log() const {
  // coturn appends a date to log-file names unless simple-log is set; simple-log keeps it.
  std::ifstream in(dir_.path() / "turn.log");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool coturn_server::logs(const std::string& text, std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (log().find(text) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

} // namespace edgeprobe::test
