// edgeprobe serve --config serve.json (cli.md, "serve"): the scheduled suites
// and the HTTP endpoint, until SIGINT or SIGTERM; SIGHUP reloads the config.
#include "cli/commands.hpp"
#include "cli/suite_input.hpp"
#include "core/exit_code.hpp"
#include "net/endpoint_text.hpp"
#include "serve/http_server.hpp"
#include "serve/serve_config.hpp"
#include "serve/serve_state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <csignal>
#include <iostream>

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

// SIGHUP: reload on another thread (stopping the old schedule waits for runs in
// progress), then apply the new limits and TLS on the io thread.
void watch_signals(net::signal_set& signals, net::io_context& io, net::thread_pool& reloads, serve_state& state,
                   serve_server& server) {
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal != SIGHUP) {
      std::cerr << "edgeprobe serve: stopping (runs in progress end first)\n";
      server.stop();
      signals.cancel();
      net::post(reloads, [&] {
        state.stop();
        io.stop();
      });
      return;
    }
    net::post(reloads, [&] {
      auto errors = state.reload();
      net::post(io, [&, errors = std::move(errors)] {
        if (!errors.empty()) {
          std::cerr << "edgeprobe serve: reload refused, the running configuration stays:\n";
          for (const auto& e : errors) std::cerr << "  " << e.to_string() << '\n';
          return;
        }
        server.apply_current_config();
        std::cerr << "edgeprobe serve: reloaded; suites: " << state.current().config->suite_names() << '\n';
      });
    });
    watch_signals(signals, io, reloads, state, server);
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
  net::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  watch_signals(signals, io, reloads, state, *server);
  state.start();
  server->start();
  std::cerr << "edgeprobe serve: listening on " << url_of(*state.current().config, server->local_endpoint())
            << "; suites: " << state.current().config->suite_names() << std::endl;
  io.run();
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
