// edgeprobe demo: the reference responders on loopback and suites/demo.json
// (compiled in) run against them — the first thing a new user sees.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/responder_host.hpp"
#include "cli/suite_input.hpp"
#include "core/embedded.hpp"
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

// The responders the demo suite talks to; their ports become the suite's vars.
std::map<std::string, std::string> start_responders(responder_host& host, demo_root_file& root) {
  const auto first = net::ip::make_address("127.0.0.1");
  const auto second = net::ip::make_address("127.0.0.2");
  // The same port on a second loopback address: the name that resolves to both
  // shows the per-address fan-out.
  const auto tcp_port = host.add_tcp_same_port({first, second});
  const auto udp = host.add_udp({first, 0});
  const auto dns = host.add_dns(first, 0, demo_zone());
  const auto stun = host.add_stun({first, 0});
  const auto sql = host.add_sqlbrowser({first, 0}, {{"SALES"}, {"HR"}});
  const auto epm = host.add_epm({first, 0}, {{"emsmdb"}, {"nspi"}, {"rfr"}});

  // TLS: a leaf from a root made now, plain, asking for a client certificate
  // (naming the root), and behind SMTP STARTTLS.
  const auto pki = generate_responder_pki({"tls.demo.edgeprobe.test", "mail.demo.edgeprobe.test"}, {"127.0.0.1"}, 90);
  root.path = std::filesystem::temp_directory_path() / ("edgeprobe-demo-root-" + std::to_string(getpid()) + ".pem");
  std::ofstream(root.path) << pki.root_pem;
  tls_responder_options tls;
  tls.tls.chain_pem = pki.chain_pem;
  tls.tls.key_pem = pki.key_pem;
  const auto tls_plain = host.add_tls({first, 0}, tls);
  auto mutual = tls;
  mutual.tls.client_ca_pem = pki.root_pem;
  const auto tls_mutual = host.add_tls({first, 0}, mutual);
  auto smtp = tls;
  smtp.starttls_smtp = true;
  const auto tls_smtp = host.add_tls({first, 0}, smtp);
  // The demo's own mailbox: its password is the responder's, printed in suites/demo.json on purpose.
  const auto ews = host.add_ews({first, 0}, tls.tls, {{"demo@demo.edgeprobe.test", "DEMO\\demo", "demo-Passw0rd", "Demo User"}});
  host.start();
  return {{"tcp_port", std::to_string(tcp_port)},
          {"udp_port", std::to_string(udp.port())},
          {"dns_server", "127.0.0.1:" + std::to_string(dns)},
          {"closed_tcp_port", std::to_string(unused_tcp_port(first))},
          {"closed_udp_port", std::to_string(unused_udp_port(first))},
          {"tls_port", std::to_string(tls_plain.port())},
          {"mtls_port", std::to_string(tls_mutual.port())},
          {"smtp_port", std::to_string(tls_smtp.port())},
          {"tls_ca_file", root.path.string()},
          {"stun_port", std::to_string(stun.port())},
          {"sqlbrowser_port", std::to_string(sql.directory.port())},
          {"epm_port", std::to_string(epm.directory.port())},
          {"ews_port", std::to_string(ews.port())}};
}

int demo(const output_flags& output) {
  if (!output_flags_valid(output)) return exit_invalid;
  demo_root_file root;
  responder_host host;
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
