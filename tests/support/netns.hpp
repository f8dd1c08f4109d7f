// Network namespaces for lab tests: each test builds its own with unique names,
// addresses from 10.x (and fd00::/8) that exist only inside them, and nft rules
// for fault injection; RAII deletes them even when an assertion fails.
#pragma once
#include <string>
#include <string_view>

namespace edgeprobe::test {

// Runs `command` through /bin/sh; throws std::runtime_error with its output
// when it exits non-zero. Returns its stdout and stderr.
std::string shell(const std::string& command);

class netns {
public:
  explicit netns(std::string_view role); // a unique name containing `role`; loopback up
  ~netns();                              // deletes it; never throws
  netns(const netns&) = delete;
  netns& operator=(const netns&) = delete;

  const std::string& name() const { return name_; }
  std::string exec(const std::string& command) const; // `ip netns exec NAME sh -c COMMAND`
  void nft(const std::string& ruleset) const;          // `nft -f -` inside the namespace
  void sysctl(const std::string& key, const std::string& value) const;

  // Moves the calling thread into this namespace until destroyed, then back.
  // Sockets created meanwhile belong to the namespace for good, and so do
  // threads started meanwhile (the runner runs on the calling thread).
  class entered {
  public:
    explicit entered(const std::string& name);
    ~entered();
    entered(const entered&) = delete;
    entered& operator=(const entered&) = delete;

  private:
    int saved_ = -1;
  };
  [[nodiscard]] entered enter() const { return entered(name_); }

private:
  std::string name_;
};

// A veth pair between two namespaces, each end addressed ("10.77.1.2/24").
void veth(const netns& a, const std::string& a_if, const std::string& a_cidr, const netns& b,
          const std::string& b_if, const std::string& b_cidr);

// client — router — server: the smallest lab where a router can answer with
// ICMP, drop, rewrite or translate. Both families; the router forwards.
struct routed_lab {
  routed_lab();

  netns client{"client"};
  netns router{"router"};
  netns server{"server"};

  static constexpr const char* client_v4 = "10.77.1.2";
  static constexpr const char* router_client_side_v4 = "10.77.1.1";
  static constexpr const char* router_server_side_v4 = "10.77.2.1";
  static constexpr const char* server_v4 = "10.77.2.2";
  static constexpr const char* client_v6 = "fd00:77:1::2";
  static constexpr const char* router_client_side_v6 = "fd00:77:1::1";
  static constexpr const char* server_v6 = "fd00:77:2::2";
};

} // namespace edgeprobe::test
