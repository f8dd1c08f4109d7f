// edgeprobe's command line (cli.md).
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/exit_code.hpp"
#include "core/version.hpp"

#include <iostream>

int main(int argc, char** argv) {
  namespace cli = edgeprobe::cli;
  CLI::App app{"edgeprobe: active connectivity checks that name the real cause", "edgeprobe"};
  app.set_version_flag("--version", std::string(edgeprobe::version));
  app.require_subcommand(1);
  // The man page's EXIT STATUS is made from this (cmake/make_manpage.sh).
  app.footer("Exit status:\n"
             "  0  no check failed or errored (warnings allowed, unless --strict)\n"
             "  1  a check failed, or could not be carried out (error)\n"
             "  2  the suite, the serve config or the command line is invalid (every error printed)\n"
             "  3  an internal error (a bug), as soon as any check ends with internal.error\n"
             "  4  a report could not be written (standard output or a --report file)\n"
             "  130  a second Ctrl-C stopped edgeprobe at once\n"
             "  With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for\n"
             "  invalid input and for a report that could not be written).\n"
             "\n"
             "Documentation: docs/ in the source tree, /usr/share/doc/edgeprobe/ once installed.");
  int exit_code = edgeprobe::exit_ok;
  cli::add_run_command(app, exit_code);
  cli::add_check_command(app, exit_code);
  cli::add_validate_command(app, exit_code);
  cli::add_demo_command(app, exit_code);
  cli::add_listen_command(app, exit_code);
  cli::add_serve_command(app, exit_code);
  cli::add_probes_command(app, exit_code);
  cli::add_schema_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::invalid_input(cli::format_asked(argc, argv), "invalid command line");
  } catch (const std::exception& e) {
    std::cerr << "edgeprobe: internal error: " << e.what() << '\n';
    return edgeprobe::exit_internal;
  }
  return exit_code;
}
