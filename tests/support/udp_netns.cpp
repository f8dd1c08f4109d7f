#include "support/udp_netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace edgeprobe::test {

namespace {

void run(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

int open_or_throw(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  return fd;
}

} // namespace

udp_netns::udp_netns() {
  static std::atomic<int> counter{0};
  name_ = "ep-udp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  run("ip netns add " + name_);
  try {
    run("ip -n " + name_ + " link set lo up");
  } catch (...) {
    run("ip netns del " + name_);
    throw;
  }
}

udp_netns::~udp_netns() {
  // Never throws from a destructor; a leftover namespace shows in `ip netns list`.
  if (std::system(("ip netns del " + name_).c_str()) != 0)
    std::fprintf(stderr, "warning: could not delete network namespace %s\n", name_.c_str());
}

void udp_netns::nft(const std::string& ruleset) const {
  const std::string command = "ip netns exec " + name_ + " nft -f -";
  FILE* pipe = ::popen(command.c_str(), "w");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::fwrite(ruleset.data(), 1, ruleset.size(), pipe);
  if (::pclose(pipe) != 0) throw std::runtime_error("nft rejected the ruleset:\n" + ruleset);
}

udp_netns::inside::inside(const udp_netns& ns) {
  original_ = open_or_throw("/proc/thread-self/ns/net");
  const int target = open_or_throw("/run/netns/" + ns.name());
  const int rc = ::setns(target, CLONE_NEWNET);
  const int saved = errno;
  ::close(target);
  if (rc != 0) {
    ::close(original_);
    throw std::runtime_error(std::string("setns into ") + ns.name() + ": " + std::strerror(saved));
  }
}

udp_netns::inside::~inside() {
  if (::setns(original_, CLONE_NEWNET) != 0) {
    // Carrying on in the wrong namespace would make every later test lie.
    std::fprintf(stderr, "fatal: cannot return to the original network namespace: %s\n", std::strerror(errno));
    std::abort();
  }
  ::close(original_);
}

} // namespace edgeprobe::test
