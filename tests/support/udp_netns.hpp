// Test fixture: a network namespace of the test's own, with loopback up and
// optional nftables rules, that the test thread can step into. Deleted on
// destruction, also when the test fails. Needs root.
#pragma once
#include <string>

namespace edgeprobe::test {

class udp_netns {
public:
  udp_netns();  // throws std::runtime_error when the namespace cannot be made
  ~udp_netns(); // deletes it
  udp_netns(const udp_netns&) = delete;
  udp_netns& operator=(const udp_netns&) = delete;

  const std::string& name() const { return name_; }

  // Loads an nftables ruleset (nft -f syntax) inside the namespace.
  void nft(const std::string& ruleset) const;

  // Moves the calling thread into the namespace until destroyed: sockets
  // created meanwhile belong to it.
  class inside {
  public:
    explicit inside(const udp_netns& ns);
    ~inside(); // back to the namespace the thread came from
    inside(const inside&) = delete;
    inside& operator=(const inside&) = delete;

  private:
    int original_ = -1;
  };

private:
  std::string name_;
};

} // namespace edgeprobe::test
