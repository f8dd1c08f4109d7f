#include "cli/responder_host.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>

namespace edgeprobe::cli {

responder_host::responder_host(tls_source tls, std::map<std::string, std::vector<std::string>> settings)
    : tls_source_(std::move(tls)), settings_(settings.begin(), settings.end()) {}

responder_host::~responder_host() {
  for (auto& stop : stops_) stop();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void responder_host::keep(std::shared_ptr<void> responder, std::function<void()> stop) {
  responders_.push_back(std::move(responder));
  stops_.push_back(std::move(stop));
}

const tls_server_settings& responder_host::tls() {
  if (!tls_) tls_ = tls_source_(generated_root_);
  return *tls_;
}

std::string responder_host::generated_root_pem() {
  tls();
  return generated_root_;
}

const std::vector<std::string>& responder_host::setting(std::string_view name) const {
  static const std::vector<std::string> none;
  const auto it = settings_.find(name);
  return it == settings_.end() ? none : it->second;
}

void responder_host::start() {
  thread_ = std::thread([this] {
    // Responders keep the context busy; the guard keeps it alive if all of them
    // fail to accept for a moment.
    auto guard = net::make_work_guard(io_);
    io_.run();
  });
}

void responder_host::wait_for_signal() {
  net::io_context waiter;
  net::signal_set signals(waiter, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  waiter.run();
}

} // namespace edgeprobe::cli
