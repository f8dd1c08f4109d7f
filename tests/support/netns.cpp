#include "support/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace edgeprobe::test {

namespace {

std::atomic<int> counter{0};

// Single-quotes `text` for /bin/sh.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace

std::string shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string output;
  std::array<char, 512> chunk{};
  while (const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe)) output.append(chunk.data(), n);
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("command failed: " + command + "\n" + output);
  return output;
}

netns::netns(std::string_view role)
    : name_("ep" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::string(role)) {
  shell("ip netns add " + name_);
  try {
    exec("ip link set lo up");
  } catch (...) {
    std::system(("ip netns del " + name_ + " >/dev/null 2>&1").c_str());
    throw;
  }
}

netns::~netns() {
  // Deleting the namespace also deletes the veth ends inside it.
  (void)std::system(("ip netns del " + name_ + " >/dev/null 2>&1").c_str());
}

std::string netns::exec(const std::string& command) const {
  return shell("ip netns exec " + name_ + " sh -c " + quoted(command));
}

void netns::nft(const std::string& ruleset) const {
  shell("printf '%s' " + quoted(ruleset) + " | ip netns exec " + name_ + " nft -f -");
}

void netns::sysctl(const std::string& key, const std::string& value) const {
  exec("sysctl -q -w " + key + "=" + quoted(value));
}

netns::entered::entered(const std::string& name) {
  saved_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  const bool ok = saved_ >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
  if (target >= 0) ::close(target);
  if (!ok) {
    if (saved_ >= 0) ::close(saved_);
    throw std::runtime_error("cannot enter network namespace " + name);
  }
}

netns::entered::~entered() {
  // Failing to return would leave every later test in the lab: stop at once.
  if (::setns(saved_, CLONE_NEWNET) != 0) std::abort();
  ::close(saved_);
}

void veth(const netns& a, const std::string& a_if, const std::string& a_cidr, const netns& b,
          const std::string& b_if, const std::string& b_cidr) {
  // Created directly inside the namespaces: nothing touches the host's own.
  shell("ip link add " + a_if + " netns " + a.name() + " type veth peer name " + b_if + " netns " + b.name());
  a.exec("ip addr add " + a_cidr + " dev " + a_if + " && ip link set " + a_if + " up");
  b.exec("ip addr add " + b_cidr + " dev " + b_if + " && ip link set " + b_if + " up");
}

routed_lab::routed_lab() {
  veth(client, "c0", "10.77.1.2/24", router, "r0", "10.77.1.1/24");
  veth(router, "r1", "10.77.2.1/24", server, "s0", "10.77.2.2/24");
  // IPv6 without duplicate address detection, which would hold the addresses
  // back for a second or two.
  client.exec("ip -6 addr add fd00:77:1::2/64 dev c0 nodad");
  router.exec("ip -6 addr add fd00:77:1::1/64 dev r0 nodad && ip -6 addr add fd00:77:2::1/64 dev r1 nodad");
  server.exec("ip -6 addr add fd00:77:2::2/64 dev s0 nodad");
  router.sysctl("net.ipv4.ip_forward", "1");
  router.sysctl("net.ipv6.conf.all.forwarding", "1");
  // Tests make the router answer many SYNs with ICMP errors in quick
  // succession; the kernel's default rate limit would silently swallow some.
  router.sysctl("net.ipv4.icmp_ratelimit", "0");
  router.sysctl("net.ipv6.icmp.ratelimit", "0");
  client.exec("ip route add default via 10.77.1.1 && ip -6 route add default via fd00:77:1::1");
  server.exec("ip route add default via 10.77.2.1 && ip -6 route add default via fd00:77:2::1");
}

} // namespace edgeprobe::test
