// Where `demo` and `listen` run the probe modules' reference responders: one
// io_context on its own thread serving every responder, so the runner (or the
// signal wait) keeps the calling thread.
#pragma once
#include "probes/module.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace edgeprobe::cli {

class responder_host final : public responder_site {
public:
  // Makes the TLS server settings the first time a responder asks for them;
  // sets `generated_root` to the root's PEM when it generated the chain. Throws
  // std::runtime_error with a message for the user when it cannot.
  using tls_source = std::function<tls_server_settings(std::string& generated_root)>;

  responder_host(tls_source tls, std::map<std::string, std::vector<std::string>> settings);
  ~responder_host() override; // stops every responder and the thread
  responder_host(const responder_host&) = delete;
  responder_host& operator=(const responder_host&) = delete;

  net::any_io_executor executor() override { return io_.get_executor(); }
  const tls_server_settings& tls() override;
  std::string generated_root_pem() override;
  const std::vector<std::string>& setting(std::string_view name) const override;

  void start(); // serves on a background thread from now on

  // For `listen`: blocks until SIGINT or SIGTERM.
  static void wait_for_signal();

protected:
  void keep(std::shared_ptr<void> responder, std::function<void()> stop) override;

private:
  net::io_context io_;
  std::vector<std::shared_ptr<void>> responders_;
  std::vector<std::function<void()>> stops_;
  tls_source tls_source_;
  std::optional<tls_server_settings> tls_;
  std::string generated_root_;
  std::map<std::string, std::vector<std::string>, std::less<>> settings_;
  std::thread thread_;
};

} // namespace edgeprobe::cli
