// `edgeprobe serve --config serve.json` (cli.md, "serve"): where to listen, who
// may ask, the limits, and which suites run how often. Loaded whole or not at
// all, so a reload with a mistake keeps the running configuration.
#pragma once
#include "core/check.hpp"
#include "core/duration.hpp"
#include "core/suite_loader.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct serve_user {
  std::string username;
  std::string password_hash; // bcrypt ($2b$, $2y$, $2a$) or SHA-256-crypt ($5$); checked at load
};

struct serve_limits {
  std::size_t max_request_bytes = 8192; // request line and headers; serve takes no bodies
  double requests_per_second = 10;      // per client address, token bucket
  double burst = 20;
  std::size_t max_connections = 64;     // open at once; more are closed on accept
  // Open at once from one client address, so one address never takes every
  // slot; the default is a quarter of max_connections (at least 1).
  std::size_t max_connections_per_address = 16;
  // From a connection's accept (or the end of its last answer) to the end of
  // its request's headers, TLS handshake included: a client that sends a byte
  // at a time loses its connection after this.
  duration request_head_timeout = std::chrono::seconds(5);
};

struct scheduled_suite {
  std::string name;                  // as /probe?suite= and the `suite` label name it
  std::filesystem::path file;
  duration interval{};
  duration jitter{};                 // each run starts up to this much after its slot
  double timeout_scale = 1.0;
  std::shared_ptr<const suite> loaded;
};

struct serve_tls_files {
  std::filesystem::path certificate; // PEM chain, leaf first
  std::filesystem::path key;
};

struct serve_config {
  std::string file;
  boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address("127.0.0.1"), 9443};
  std::optional<serve_tls_files> tls;
  std::vector<serve_user> users; // empty: no authentication
  serve_limits limits;
  bool close_rst = false;
  std::size_t concurrency = 64;  // checks in flight per run
  // A SIGHUP's reading of the config and its suites that takes longer is a
  // failed reload (a suite file that blocks: a FIFO, a hung network mount).
  duration reload_timeout = std::chrono::seconds(10);
  std::vector<scheduled_suite> suites;

  const scheduled_suite* find_suite(std::string_view name) const;
  std::string suite_names() const; // "edge, sql", for messages
};

struct serve_load_result {
  std::optional<serve_config> config; // set when there are no errors
  std::vector<diagnostic> errors;     // the config's own, then its suites'
};

// Reads the config and every suite it names (paths relative to the config's directory).
serve_load_result load_serve_config(const std::filesystem::path& path);
serve_load_result load_serve_config_text(std::string text, const std::string& label,
                                         const std::filesystem::path& base_dir);

} // namespace edgeprobe
