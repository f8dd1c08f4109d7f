// `edgeprobe serve` started by a test on a free loopback port, and curl as the
// client that talks to it (an independent HTTP/TLS implementation).
#pragma once
#include "support/io_thread.hpp"
#include "support/process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace edgeprobe {
class tcp_responder;
}

namespace edgeprobe::test {

class serve_process {
public:
  // Starts `edgeprobe serve --config CONFIG`; REQUIREs that it says where it listens.
  explicit serve_process(const std::filesystem::path& config);

  const std::string& url() const { return url_; } // "http://127.0.0.1:PORT"
  std::uint16_t port() const { return port_; }
  background_process& process() { return *process_; }

private:
  std::unique_ptr<background_process> process_;
  std::string url_;
  std::uint16_t port_ = 0;
};

struct http_reply {
  int status = 0; // 0: curl got no HTTP answer
  std::string body;
  std::string headers;
};

// An open loopback TCP port for the checks that must pass: a tcp responder on
// a thread of its own.
class open_loopback_port {
public:
  open_loopback_port();
  ~open_loopback_port();
  open_loopback_port(const open_loopback_port&) = delete;
  open_loopback_port& operator=(const open_loopback_port&) = delete;
  std::uint16_t port() const { return port_; }

private:
  io_thread io_;
  std::unique_ptr<tcp_responder> responder_;
  std::uint16_t port_ = 0;
};

// A loopback port that refuses connections for as long as this process runs: a
// socket bound to it that never listens. A port merely found free could be
// taken by a test running alongside, and then answer.
std::uint16_t refusing_loopback_port();

// A suite NAME of two tcp checks: "open port" against `open_port` and "closed
// port" against a free loopback port (fails with tcp.refused).
std::string pass_and_fail_suite(const std::string& name, std::uint16_t open_port);

// serve's config for one suite `file` run every `interval`, listening on a
// loopback port the kernel picks; `extra` is more top-level members, each
// followed by a comma (`"reload_timeout": "1s", `).
std::string serve_config(const std::string& file, const std::string& interval = "1h", const std::string& extra = "");

// The value of the sample written exactly `series` (a regex: braces escaped)
// in /metrics text; -1 when absent.
double metric_value(const std::string& metrics, const std::string& series);

// Sockets in TIME_WAIT on this host to or from `port` (`ss`, iproute2): on
// loopback the side that closed first holds it, the client's or the server's.
int time_wait_count(std::uint16_t port);

// `curl -s` with `extra` arguments (auth, --cacert, -H …) for `url`.
http_reply curl_get(const std::string& url, const std::vector<std::string>& extra = {});

} // namespace edgeprobe::test
