// edgeprobe demo: the reference responders on loopback and suites/demo.json
// (compiled in) run against them — the first thing a new user sees.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/responder_host.hpp"
#include "cli/suite_input.hpp"
#include "core/embedded.hpp"
#include "net/responder_pki.hpp"
#include "probes/modules.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

namespace edgeprobe::cli {

namespace {

// The demo's certificate root, in a temporary file for the suite's ca_file;
// removed when the demo ends.
struct demo_root_file {
  std::filesystem::path path;
  ~demo_root_file() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

// Every module's demo responders; their ports become the suite's vars. The
// TLS ones serve a leaf from a root made now, which the suite trusts through
// the file `root` names.
std::map<std::string, std::string> start_responders(responder_host& host, demo_root_file& root) {
  std::map<std::string, std::string> vars;
  for (const auto& module : builtin_modules())
    if (module.demo) vars.merge(module.demo(host));
  root.path = std::filesystem::temp_directory_path() / ("edgeprobe-demo-root-" + std::to_string(getpid()) + ".pem");
  std::ofstream(root.path) << host.generated_root_pem();
  vars["tls_ca_file"] = root.path.string();
  host.start();
  return vars;
}

// The demo's certificate: for the names its suite connects to, valid 90 days.
tls_server_settings demo_tls(std::string& generated_root) {
  const auto pki = generate_responder_pki({"tls.demo.edgeprobe.test", "mail.demo.edgeprobe.test"}, {"127.0.0.1"}, 90);
  generated_root = pki.root_pem;
  tls_server_settings tls;
  tls.chain_pem = pki.chain_pem;
  tls.key_pem = pki.key_pem;
  return tls;
}

int demo(const output_flags& output) {
  if (!output_flags_valid(output)) return exit_invalid;
  demo_root_file root;
  responder_host host(demo_tls, {});
  load_options load{.probes = builtin_probes()};
  try {
    load.vars = start_responders(host, root);
  } catch (const boost::system::system_error& e) {
    std::cerr << "edgeprobe demo: cannot start the responders on loopback: " << e.code().message() << '\n';
    return exit_internal;
  }
  const auto loaded = load_suite_text(embedded::demo_suite_json(), "suites/demo.json", ".", load);
  if (!loaded.suite) {
    print_diagnostics(loaded.errors); // the compiled-in suite is ours: a bug
    return exit_internal;
  }
  run_options options;
  options.on_result = progress_printer();
  return emit(run_suite(*loaded.suite, options), loaded.suite->secrets, output);
}

} // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto output = std::make_shared<output_flags>();
  auto* cmd = app.add_subcommand(
      "demo", "start the reference responders on loopback and run suites/demo.json against them");
  add_output_flags(*cmd, *output);
  cmd->callback([output, &exit_code] { exit_code = demo(*output); });
}

} // namespace edgeprobe::cli
