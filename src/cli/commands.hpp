// Each subcommand registers itself on the app and reports its exit code.
#pragma once
#include <CLI/CLI.hpp>

namespace edgeprobe::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_listen_command(CLI::App& app, int& exit_code);
void add_probes_command(CLI::App& app, int& exit_code);
void add_schema_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

} // namespace edgeprobe::cli
