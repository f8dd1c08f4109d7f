#include "support/samba_epm.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <sstream>
#include <thread>

namespace edgeprobe::test {

samba_epm::samba_epm() {
  const auto d = dir_.path().string();
  for (const char* sub : {"private", "lock", "state", "cache", "run", "ncalrpc", "log"})
    std::filesystem::create_directories(dir_.path() / sub);
  std::ostringstream conf;
  conf << "[global]\n"
       << "  server role = standalone server\n  workgroup = EDGEPROBE\n  netbios name = EPMTEST\n"
       << "  interfaces = " << routed_lab::server_v4 << "\n  bind interfaces only = yes\n"
       // Every RPC service up front, each on its own dynamic port: what ept_map answers.
       << "  rpc start on demand helpers = no\n"
       << "  private dir = " << d << "/private\n  lock directory = " << d << "/lock\n"
       << "  state directory = " << d << "/state\n  cache directory = " << d << "/cache\n"
       << "  pid directory = " << d << "/run\n  ncalrpc dir = " << d << "/ncalrpc\n"
       << "  log file = " << d << "/log/log.%m\n  max log size = 0\n  log level = 1\n"
       << "  disable spoolss = yes\n  load printers = no\n  printcap name = /dev/null\n";
  const auto file = dir_.write("smb.conf", conf.str());
  process_ = std::make_unique<background_process>(
      std::vector<std::string>{"ip", "netns", "exec", lab_.server.name(), "/usr/libexec/samba/samba-dcerpcd",
                               "--libexec-rpcds", "-s", file.string(), "-F", "--no-process-group"});
  // Ready when 135 accepts from the client's side of the router.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    const auto probe = "timeout 1 bash -c '</dev/tcp/" + std::string(routed_lab::server_v4) + "/135' && echo open || true";
    if (lab_.client.exec(probe).find("open") != std::string::npos) break;
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "samba-dcerpcd does not accept on 135");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

samba_epm::~samba_epm() {
  // samba-dcerpcd's rpcd_* helpers live in the server namespace too: end every
  // process there before the namespace goes.
  try {
    shell("ip netns pids " + lab_.server.name() + " | xargs -r kill -TERM");
  } catch (...) {
  }
  process_->stop(SIGTERM);
}

std::string samba_epm::python_in_client(const std::string& code) const {
  return lab_.client.exec("/usr/bin/python3 -c '" + code + "'");
}

} // namespace edgeprobe::test
