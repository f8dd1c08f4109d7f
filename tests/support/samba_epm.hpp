// Test helper: Samba's real endpoint mapper (samba-dcerpcd in standalone mode,
// with a private smb.conf the test writes) inside the server namespace of a
// routed lab, listening on the server's address: TCP 135 and the dynamic ports
// of its RPC services (samr, winreg, ...). The router in between can DNAT a
// "virtual" address or drop a dynamic port. Killed and cleaned up by the destructor.
#pragma once
#include "support/netns.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <string>

namespace edgeprobe::test {

class samba_epm {
public:
  samba_epm(); // REQUIREs that the endpoint mapper accepts within 15 s
  ~samba_epm();
  samba_epm(const samba_epm&) = delete;
  samba_epm& operator=(const samba_epm&) = delete;

  routed_lab& lab() { return lab_; }
  std::string target() const { return std::string(routed_lab::server_v4) + ":135"; }
  // Runs Debian's `/usr/bin/python3 -c CODE` (where python3-impacket installs) inside
  // the client namespace: impacket is the oracle. CODE may not contain single quotes.
  std::string python_in_client(const std::string& code) const;

private:
  routed_lab lab_;
  temp_dir dir_;
  std::unique_ptr<background_process> process_;
};

} // namespace edgeprobe::test
