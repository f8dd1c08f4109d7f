#include "support/unbound_server.hpp"

#include "wire/dns/codec.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>

extern char** environ;

namespace edgeprobe::test {

namespace {

constexpr const char* zone = R"($ORIGIN lab.test.
@ 3600 IN SOA ns.lab.test. admin.lab.test. 2024010101 3600 600 86400 300
@ 300 IN NS ns
ns 300 IN A 127.0.0.53
multi 300 IN A 127.0.0.11
multi 300 IN A 127.0.0.12
multi 300 IN A 127.0.0.13
v6only 300 IN AAAA fd00::53
dual 300 IN A 127.0.0.21
here 300 IN A 127.0.0.1
dual 300 IN AAAA fd00::21
alias 300 IN CNAME alias2
alias2 300 IN CNAME multi
_sip._tls 300 IN SRV 0 5 5061 sip
_sip._tls 300 IN SRV 10 5 5061 sip2
@ 300 IN MX 10 mail
@ 300 IN TXT "v=spf1 -all" "second string"
@ 300 IN CAA 0 issue "letsencrypt.org"
)";

struct socket_fd {
  int fd;
  ~socket_fd() { ::close(fd); }
};

bool port_free(std::uint16_t port, int type) {
  socket_fd s{::socket(AF_INET, type, 0)};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

// True once a query for the zone's SOA gets any answer.
bool answers(std::uint16_t port) {
  socket_fd s{::socket(AF_INET, SOCK_DGRAM, 0)};
  timeval tv{0, 200000};
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const auto query = dns::build_query(0x4242, "lab.test", dns::type::soa, true);
  ::sendto(s.fd, query->data(), query->size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  std::uint8_t buffer[512];
  return ::recv(s.fd, buffer, sizeof buffer, 0) > 0;
}

} // namespace

std::uint16_t free_loopback_port() {
  for (int i = 0; i < 50; ++i) {
    socket_fd s{::socket(AF_INET, SOCK_DGRAM, 0)};
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &len);
    const auto port = ntohs(a.sin_port);
    ::close(s.fd);
    s.fd = -1;
    if (port_free(port, SOCK_STREAM) && port_free(port, SOCK_DGRAM)) return port;
  }
  FAIL("no free loopback port");
  return 0;
}

unbound_server::unbound_server() {
  char pattern[] = "/tmp/edgeprobe-unbound-XXXXXX";
  REQUIRE(::mkdtemp(pattern));
  dir_ = pattern;
  port_ = free_loopback_port();
  std::ofstream(dir_ / "lab.zone") << zone;
  std::ofstream(dir_ / "unbound.conf") << "server:\n"
                                       << "  interface: 127.0.0.1\n  port: " << port_ << "\n"
                                       << "  do-ip6: no\n  chroot: \"\"\n  username: \"\"\n  do-daemonize: no\n"
                                       << "  directory: \"" << dir_.string() << "\"\n  pidfile: \"\"\n"
                                       << "  use-syslog: no\n  logfile: \"\"\n  verbosity: 0\n"
                                       << "  access-control: 127.0.0.0/8 allow\n  module-config: \"iterator\"\n"
                                       // unbound blocks .test by default (RFC 6761); this lab lives there.
                                       << "  local-zone: \"test.\" nodefault\n"
                                       << "  local-zone: \"refused.test.\" refuse\n"
                                       << "  do-not-query-localhost: no\n"
                                       << "auth-zone:\n  name: \"lab.test.\"\n  zonefile: \""
                                       << (dir_ / "lab.zone").string() << "\"\n"
                                       << "  for-downstream: yes\n  for-upstream: yes\n  fallback-enabled: no\n"
                                       // Anything else goes nowhere: port 9 on loopback.
                                       << "forward-zone:\n  name: \".\"\n  forward-addr: 127.0.0.1@9\n";
  const std::string conf = (dir_ / "unbound.conf").string();
  const std::string log = (dir_ / "unbound.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const char* argv[] = {"unbound", "-d", "-c", conf.c_str(), nullptr};
  const int rc = posix_spawnp(&pid_, "unbound", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(rc == 0, "could not start unbound");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!answers(port_)) {
    int status = 0;
    const bool exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
    if (exited) pid_ = -1;
    if (exited || std::chrono::steady_clock::now() > until) {
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), {});
      stop(); // the destructor does not run when the constructor fails
      FAIL((exited ? "unbound exited: " : "unbound did not answer within 5 s: ") << text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

unbound_server::~unbound_server() { stop(); }

void unbound_server::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::vector<std::string> dig_short(std::uint16_t port, const std::string& name, const std::string& type, bool tcp) {
  const std::string command = "dig @127.0.0.1 -p " + std::to_string(port) + (tcp ? " +tcp" : "") +
                              " +short +time=2 +tries=1 " + name + " " + type + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe);
  std::vector<std::string> lines;
  char buffer[1024];
  while (std::fgets(buffer, sizeof buffer, pipe.get())) {
    std::string line(buffer);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// dig +short prints names with a trailing dot and TXT strings quoted; the probe does neither.
std::vector<std::string> dig_as_probe(std::uint16_t port, const std::string& name, const std::string& type) {
  std::vector<std::string> out;
  for (auto line : dig_short(port, name, type)) {
    if (type == "TXT") {
      std::string joined;
      bool in_string = false;
      for (char c : line) {
        if (c == '"') in_string = !in_string;
        else if (in_string) joined.push_back(c);
      }
      line = joined;
    } else if (!line.empty() && line.back() == '.') {
      line.pop_back();
    }
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace edgeprobe::test
