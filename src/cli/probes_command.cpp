// edgeprobe probes [NAME], and edgeprobe schema.
#include "cli/commands.hpp"
#include "core/exit_code.hpp"
#include "core/registry.hpp"
#include "core/suite_loader.hpp"
#include "probes/modules.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace edgeprobe::cli {

namespace {

std::string_view kind_name(option_kind k) {
  switch (k) {
    case option_kind::string: return "string";
    case option_kind::boolean: return "bool";
    case option_kind::integer: return "integer";
    case option_kind::duration: return "duration";
    case option_kind::choice: return "choice";
    case option_kind::string_list: return "string list";
    case option_kind::port_set: return "port, list or range";
    case option_kind::bytes: return "{text}|{hex}";
    case option_kind::pattern: return "regex|{hex}";
    case option_kind::string_map: return "object";
    case option_kind::address: return "IP address";
    case option_kind::file: return "file path";
    case option_kind::status_set: return "list of statuses: 200, \"2xx\"";
  }
  return "";
}

void print_specs(const std::vector<option_spec>& specs, std::ostream& out) {
  // Columns as wide as the longest key and kind, so long names
  // (max_client_ca_list_bytes) stay apart from their kind.
  std::size_t key_width = 16, kind_width = 20;
  for (const auto& s : specs) key_width = std::max(key_width, s.key.size());
  std::vector<std::string> kinds;
  for (const auto& s : specs) {
    std::string kind(kind_name(s.kind));
    if (s.kind == option_kind::choice) {
      kind.clear();
      for (auto c : s.choices) kind += (kind.empty() ? "" : "|") + std::string(c);
    } else if (s.kind == option_kind::integer) {
      kind += " " + std::to_string(s.min) + ".." + std::to_string(s.max);
    }
    kind_width = std::max(kind_width, kind.size());
    kinds.push_back(std::move(kind));
  }
  for (std::size_t i = 0; i < specs.size(); ++i)
    out << "  " << std::left << std::setw(static_cast<int>(key_width + 2)) << specs[i].key
        << std::setw(static_cast<int>(kind_width + 2)) << kinds[i] << specs[i].help << '\n';
}

void describe(const probe& p, std::ostream& out) {
  out << p.name() << ": " << p.summary() << "\n\ntarget: ";
  const auto t = p.target();
  switch (t.shape) {
    case target_rules::form::host_port:
      out << "host:port or [v6]:port";
      if (t.default_port) out << " (port defaults to " << t.default_port << ")";
      break;
    case target_rules::form::name: out << "a DNS name"; break;
    case target_rules::form::url: out << "a URL"; break;
  }
  out << "\n\noptions:\n";
  print_specs(p.options().options, out);
  out << "\nexpect:\n";
  print_specs(p.options().expect, out);
}

} // namespace

void add_probes_command(CLI::App& app, int& exit_code) {
  auto name = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("probes", "list the probes, or describe one");
  cmd->add_option("name", *name, "a probe to describe");
  cmd->callback([name, &exit_code] {
    const auto& probes = builtin_probes();
    if (name->empty()) {
      for (const auto* p : probes.all()) std::cout << std::left << std::setw(12) << p->name() << p->summary() << '\n';
      exit_code = exit_ok;
      return;
    }
    if (const auto* p = probes.find(*name)) {
      describe(*p, std::cout);
      exit_code = exit_ok;
      return;
    }
    std::cerr << "edgeprobe: no probe named \"" << *name << "\"; `edgeprobe probes` lists them\n";
    exit_code = exit_invalid;
  });
}

void add_schema_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("schema", "print the suite file's JSON Schema");
  cmd->callback([&exit_code] {
    std::cout << suite_schema(builtin_probes()).dump(2) << '\n';
    exit_code = exit_ok;
  });
}

} // namespace edgeprobe::cli
