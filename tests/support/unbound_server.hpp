// Test helper: a real unbound on 127.0.0.1 (a free port) serving the zone
// `lab.test` written by the test (here.lab.test is 127.0.0.1: another host name
// for the loopback servers), plus `refused.test` answered with REFUSED.
// Nothing it does leaves loopback: every other name is forwarded to a dead
// loopback port. Killed and cleaned up by the destructor.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace edgeprobe::test {

class unbound_server {
public:
  unbound_server(); // REQUIREs that unbound starts and answers within 5 s
  ~unbound_server();
  unbound_server(const unbound_server&) = delete;
  unbound_server& operator=(const unbound_server&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); } // a resolver setting

private:
  void stop();

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// `dig @127.0.0.1 -p PORT +short NAME TYPE`, one entry per output line, in order.
std::vector<std::string> dig_short(std::uint16_t port, const std::string& name, const std::string& type,
                                   bool tcp = false);

// dig_short's lines written as the dns probe writes answer data (no trailing dot
// on names, TXT strings unquoted and joined), sorted.
std::vector<std::string> dig_as_probe(std::uint16_t port, const std::string& name, const std::string& type);

// A loopback port that is free for both UDP and TCP right now.
std::uint16_t free_loopback_port();

} // namespace edgeprobe::test
