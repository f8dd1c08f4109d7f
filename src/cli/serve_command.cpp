// edgeprobe serve --config serve.json (cli.md, "serve"): the scheduled suites
// and the HTTP endpoint, until SIGINT or SIGTERM; SIGHUP reloads the config.
#include "cli/commands.hpp"
#include "cli/suite_input.hpp"
#include "core/exit_code.hpp"
#include "net/endpoint_text.hpp"
#include "serve/config_reloader.hpp"
#include "serve/http_server.hpp"
#include "serve/serve_config.hpp"
#include "serve/serve_state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace edgeprobe::cli {

namespace {

namespace net = boost::asio;

struct serve_args {
  std::string config;
  bool check_only = false;
};

std::string url_of(const serve_config& config, const net::ip::tcp::endpoint& at) {
  return std::string(config.tls ? "https" : "http") + "://" + endpoint_text(at);
}

// How long SIGTERM waits for the runs in progress (and anything else) to end
// before serve exits regardless: a supervisor's stop must not hang on a check
// with a long timeout or on a reload stuck reading a file.
constexpr std::chrono::seconds stop_grace{5};

// Ends the process after stop_grace unless serve() has returned first (then the
// process is gone, and this thread with it).
void exit_after_grace() {
  std::thread([] {
    std::this_thread::sleep_for(stop_grace);
    std::cerr << "edgeprobe serve: still stopping after " << stop_grace.count()
              << " s (a run or a reload did not end); exiting now" << std::endl;
    std::_Exit(exit_ok);
  }).detach();
}

void report_reload(const std::vector<diagnostic>& errors, serve_state& state, serve_server& server) {
  if (!errors.empty()) {
    std::cerr << "edgeprobe serve: reload refused, the running configuration stays:\n";
    for (const auto& e : errors) std::cerr << "  " << e.to_string() << '\n';
    return;
  }
  server.apply_current_config();
  std::cerr << "edgeprobe serve: reloaded; suites: " << state.current().config->suite_names() << '\n';
}

// SIGHUP: reload on another thread (reading the files has a deadline, stopping
// the old schedule waits for runs in progress), then apply the new limits and
// TLS on the io thread. SIGTERM: stop accepting, then stop the schedule and the
// io loop on a thread of their own, so a reload in progress cannot hold them up.
void watch_signals(net::signal_set& signals, net::io_context& io, net::thread_pool& reloads,
                   config_reloader& reloader, serve_state& state, serve_server& server, std::thread& stopper) {
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal != SIGHUP) {
      std::cerr << "edgeprobe serve: stopping (runs in progress end first, for " << stop_grace.count() << " s at most)"
                << std::endl;
      exit_after_grace();
      server.stop();
      signals.cancel();
      reloads.stop(); // a reload not yet started never starts
      stopper = std::thread([&] {
        state.stop();
        io.stop();
      });
      return;
    }
    net::post(reloads, [&] {
      const auto deadline = state.current().config->reload_timeout;
      auto errors = reloader.reload(deadline);
      net::post(io, [&, errors = std::move(errors)] { report_reload(errors, state, server); });
    });
    watch_signals(signals, io, reloads, reloader, state, server, stopper);
  });
}

int serve(const serve_args& args) {
  auto loaded = load_serve_config(args.config);
  if (!loaded.config) {
    print_diagnostics(loaded.errors);
    return exit_invalid;
  }
  if (args.check_only) {
    std::cout << args.config << ": OK, suites: " << loaded.config->suite_names() << '\n';
    return exit_ok;
  }
  net::io_context io(1);
  serve_state state(args.config, std::move(*loaded.config));
  std::unique_ptr<serve_server> server;
  try {
    server = std::make_unique<serve_server>(io, state);
  } catch (const boost::system::system_error& e) {
    std::cerr << "edgeprobe serve: cannot listen on " << state.current().config->listen << ": " << e.code().message()
              << '\n';
    // Not the config's fault (the port may be free in a moment): 3, so a
    // supervisor can retry it and still give up on a bad config's 2.
    return exit_internal;
  }
  net::thread_pool reloads(1);
  config_reloader reloader(state);
  net::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::thread stopper; // started by SIGTERM
  watch_signals(signals, io, reloads, reloader, state, *server, stopper);
  state.start();
  server->start();
  std::cerr << "edgeprobe serve: listening on " << url_of(*state.current().config, server->local_endpoint())
            << "; suites: " << state.current().config->suite_names() << std::endl;
  io.run();
  if (stopper.joinable()) stopper.join();
  reloads.join();
  return exit_ok;
}

} // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<serve_args>();
  auto* cmd = app.add_subcommand("serve", "run suites on a schedule and serve their results over HTTP (Prometheus)");
  cmd->add_option("--config", args->config, "the serve config (JSON)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--check", args->check_only, "check the config and its suites, then exit (0 valid, 2 not)");
  cmd->callback([args, &exit_code] { exit_code = serve(*args); });
}

} // namespace edgeprobe::cli
