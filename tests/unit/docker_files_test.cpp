// docker/ against the rest of the repository, without a Docker engine: the
// Dockerfile installs what bootstrap.sh builds with and what the built binary
// links, the example configs load and name suites that exist and validate, the
// systemd units pass systemd-analyze, and the Prometheus snippets in
// docker/README.md pass promtool (the alert rules on sample series, too).
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using edgeprobe::test::run_process;
using edgeprobe::test::temp_dir;

namespace {

const fs::path source_dir = EDGEPROBE_SOURCE_DIR;
const fs::path docker_dir = source_dir / "docker";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read ", path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out.empty() ? "(none)" : out;
}

std::set<std::string> minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// --- the Dockerfile ---------------------------------------------------------

struct instruction {
  std::string keyword; // upper case
  std::string args;
};

struct stage {
  std::string image;
  std::string name;
  std::vector<instruction> instructions;
};

// Docker's rules, as far as docker/Dockerfile uses them: a line whose first
// non-blank is '#' is a comment, also inside a continued instruction; a
// trailing backslash continues the instruction; FROM starts a stage.
std::vector<stage> parse_dockerfile(const std::string& text) {
  std::vector<stage> stages;
  std::string logical;
  const auto finish = [&] {
    const std::string line = trimmed(logical);
    logical.clear();
    if (line.empty()) return;
    const auto space = line.find_first_of(" \t");
    std::string keyword = line.substr(0, space);
    std::transform(keyword.begin(), keyword.end(), keyword.begin(), [](unsigned char c) { return std::toupper(c); });
    const std::string args = space == std::string::npos ? "" : trimmed(line.substr(space));
    if (keyword == "FROM") {
      const auto w = words(args);
      stage s;
      s.image = w.empty() ? "" : w[0];
      if (w.size() == 3 && (w[1] == "AS" || w[1] == "as")) s.name = w[2];
      stages.push_back(s);
    } else if (!stages.empty()) {
      stages.back().instructions.push_back({keyword, args});
    }
  };
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::string t = trimmed(line);
    if (t.empty() || t.front() == '#') continue;
    if (t.back() == '\\') {
      logical += t.substr(0, t.size() - 1) + " ";
      continue;
    }
    logical += t;
    finish();
  }
  finish();
  return stages;
}

// The packages of every `apt-get install` in the stage's RUN instructions.
std::set<std::string> apt_installs(const stage& s) {
  std::set<std::string> out;
  for (const auto& i : s.instructions) {
    if (i.keyword != "RUN") continue;
    const auto w = words(i.args);
    for (std::size_t k = 0; k + 1 < w.size(); ++k) {
      if (w[k] != "apt-get") continue;
      std::size_t j = k + 1;
      while (j < w.size() && w[j].starts_with("-")) ++j;
      if (j >= w.size() || w[j] != "install") continue;
      for (++j; j < w.size(); ++j) {
        std::string word = w[j];
        if (word == "&&" || word == "||" || word == ";" || word == "|") break;
        const bool last = word.ends_with(";");
        if (last) word.pop_back();
        if (!word.empty() && !word.starts_with("-")) out.insert(word);
        if (last) break;
      }
    }
  }
  return out;
}

std::vector<const instruction*> all_of(const stage& s, const std::string& keyword) {
  std::vector<const instruction*> out;
  for (const auto& i : s.instructions)
    if (i.keyword == keyword) out.push_back(&i);
  return out;
}

struct copy_from_context {
  std::vector<std::string> sources;
  std::string destination;
};

// COPY instructions that read the build context (not --from another stage).
std::vector<copy_from_context> context_copies(const stage& s) {
  std::vector<copy_from_context> out;
  for (const auto* i : all_of(s, "COPY")) {
    auto w = words(i->args);
    if (std::any_of(w.begin(), w.end(), [](const std::string& x) { return x.starts_with("--from="); })) continue;
    std::erase_if(w, [](const std::string& x) { return x.starts_with("--"); });
    REQUIRE_MESSAGE(w.size() >= 2, "COPY ", i->args);
    out.push_back({{w.begin(), w.end() - 1}, w.back()});
  }
  return out;
}

struct dockerfile {
  std::vector<stage> stages;

  static dockerfile load() {
    dockerfile d{parse_dockerfile(read_text(docker_dir / "Dockerfile"))};
    REQUIRE_MESSAGE(d.stages.size() >= 2, "docker/Dockerfile should have a builder and a runtime stage");
    return d;
  }
  const stage& builder() const { return stages.front(); }
  const stage& runtime() const { return stages.back(); }

  // Where a file in the image comes from in the repository, by the runtime
  // stage's COPY lines (the build context is the repository root).
  std::optional<fs::path> repository_file_for(const std::string& image_path) const {
    for (const auto& c : context_copies(runtime()))
      for (const auto& source : c.sources) {
        if (c.destination.ends_with("/") && source.ends_with("/") && image_path.starts_with(c.destination))
          return source_dir / source / image_path.substr(c.destination.size());
        if (image_path == c.destination) return source_dir / source;
      }
    return std::nullopt;
  }
};

// `name=(a b c ...)` in a shell script, across lines, comments dropped.
std::set<std::string> shell_array(const std::string& script, const std::string& name) {
  const std::regex start("(^|\n)" + name + "=\\(");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(script, m, start), name, "=( not found");
  const auto begin = static_cast<std::size_t>(m.position(0) + m.length(0));
  const auto end = script.find(')', begin);
  REQUIRE(end != std::string::npos);
  std::set<std::string> out;
  std::istringstream body(script.substr(begin, end - begin));
  for (std::string line; std::getline(body, line);)
    for (const auto& w : words(line.substr(0, line.find('#')))) out.insert(w);
  return out;
}

// --- shared libraries and packages -------------------------------------------

// The paths `ldd` resolved; linux-vdso has none (the kernel maps it in).
std::vector<std::string> linked_libraries(const std::string& binary) {
  const auto ldd = run_process({"ldd", binary});
  REQUIRE_MESSAGE(ldd.exit_code == 0, "ldd ", binary, ": ", ldd.err);
  std::vector<std::string> out;
  std::istringstream in(ldd.out);
  for (std::string line; std::getline(in, line);) {
    CHECK_MESSAGE(line.find("not found") == std::string::npos, "ldd: ", line);
    const auto arrow = line.find("=> ");
    const auto w = words(arrow == std::string::npos ? line : line.substr(arrow + 3));
    if (!w.empty() && w[0].starts_with("/")) out.push_back(w[0]);
  }
  return out;
}

// dpkg records a file under the path its package ships it at; with usrmerge
// /lib is a link to /usr/lib, so ldd may name either spelling.
std::vector<std::string> usrmerge_spellings(const std::string& path) {
  std::vector<std::string> out{path};
  if (path.starts_with("/usr/")) out.push_back(path.substr(4));
  else out.push_back("/usr" + path);
  std::error_code ec;
  const auto real = fs::canonical(path, ec).string();
  if (!ec && real != path) {
    out.push_back(real);
    out.push_back(real.starts_with("/usr/") ? real.substr(4) : "/usr" + real);
  }
  return out;
}

// `dpkg -S`'s answer "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"
// (or "a:amd64, b:i386: PATH"): the package names, without architectures.
std::set<std::string> owning_packages(const std::string& library) {
  for (const auto& path : usrmerge_spellings(library)) {
    const auto dpkg = run_process({"dpkg", "-S", path});
    if (dpkg.exit_code != 0) continue;
    std::set<std::string> out;
    std::istringstream in(dpkg.out);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("diversion ")) continue;
      const auto colon = line.rfind(": " + path);
      if (colon == std::string::npos) continue;
      std::istringstream names(line.substr(0, colon));
      for (std::string name; std::getline(names, name, ',');) {
        name = trimmed(name);
        out.insert(name.substr(0, name.find(':')));
      }
    }
    if (!out.empty()) return out;
  }
  return {};
}

// What debian:12-slim already has, of what a C++ program may link. The image
// is a minbase debootstrap: the Priority: required packages and what they
// depend on. libc6 and libgcc-s1 (libc6 depends on it) are in every Debian
// system; libstdc++6 comes with apt, libcrypt1 with login, passwd and
// perl-base, zlib1g with dpkg. Anything else must be installed, even if slim
// has it today by way of some other package.
const std::set<std::string> slim_has{"libc6", "libgcc-s1", "libstdc++6", "libcrypt1", "zlib1g"};

// --- ConfigMaps and Markdown --------------------------------------------------

// The block scalars `KEY.json: |` of a Kubernetes YAML file (the ConfigMaps'
// data), by key, with their indentation removed.
std::map<std::string, std::string> json_block_scalars(const std::string& yaml) {
  std::map<std::string, std::string> out;
  const std::regex key_line(R"(^( *)([A-Za-z0-9._-]+\.json): \|$)");
  std::vector<std::string> lines;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, key_line)) continue;
    const auto key_indent = static_cast<std::size_t>(m.length(1));
    std::string body;
    std::size_t indent = std::string::npos;
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const std::string& l = lines[j];
      if (trimmed(l).empty()) {
        body += "\n";
        continue;
      }
      const auto here = l.find_first_not_of(' ');
      if (here <= key_indent) break;
      if (indent == std::string::npos) indent = here;
      body += l.substr(std::min(indent, here)) + "\n";
    }
    out[m[2].str()] = body;
  }
  return out;
}

// Fenced code blocks of one language in a Markdown file.
std::vector<std::string> fenced_blocks(const std::string& markdown, const std::string& language) {
  std::vector<std::string> out;
  const std::string open = "```" + language + "\n";
  for (auto at = markdown.find(open); at != std::string::npos; at = markdown.find(open, at)) {
    const auto begin = at + open.size();
    const auto end = markdown.find("```", begin);
    REQUIRE(end != std::string::npos);
    out.push_back(markdown.substr(begin, end - begin));
    at = end + 3;
  }
  return out;
}

std::string block_starting_with(const std::vector<std::string>& blocks, const std::string& start) {
  for (const auto& b : blocks)
    if (b.starts_with(start)) return b;
  FAIL("docker/README.md has no ```yaml block starting with ", start);
  return {};
}

nlohmann::json parse_with_comments(const std::string& text, const std::string& label) {
  try {
    return nlohmann::json::parse(text, nullptr, true, true);
  } catch (const nlohmann::json::parse_error& e) {
    FAIL(label, " does not parse as JSON (with // comments): ", std::string(e.what()));
  }
  return {};
}

// `edgeprobe validate FILE --var NAME=VALUE...`: the suite loads as serve would load it.
void check_suite_validates(const fs::path& file, const nlohmann::json& vars, const std::string& label) {
  std::vector<std::string> argv{EDGEPROBE_BINARY, "validate", file.string()};
  if (vars.is_object())
    for (const auto& [name, value] : vars.items()) {
      CHECK_MESSAGE(value.is_string(), label, ": var ", name, " must be a string");
      if (value.is_string()) argv.insert(argv.end(), {"--var", name + "=" + value.get<std::string>()});
    }
  const auto r = run_process(argv);
  CHECK_MESSAGE(r.exit_code == 0, label, ": edgeprobe validate ", file.string(), " exited ", r.exit_code, "\n", r.out,
                r.err);
}

// `edgeprobe serve --config FILE --check`: serve's loader, suites included.
void check_serve_config(const fs::path& config) {
  const auto r = run_process({EDGEPROBE_BINARY, "serve", "--config", config.string(), "--check"});
  CHECK_MESSAGE(r.exit_code == 0, "edgeprobe serve --config ", config.string(), " --check exited ", r.exit_code, "\n",
                r.out, r.err);
}

} // namespace

TEST_SUITE("docker") {

TEST_CASE("docker: the builder installs exactly bootstrap.sh's build_packages") {
  const auto d = dockerfile::load();
  CHECK(d.builder().image == "debian:12");
  const auto installed = apt_installs(d.builder());
  const auto wanted = shell_array(read_text(source_dir / "tests/bootstrap.sh"), "build_packages");
  REQUIRE(wanted.size() >= 5);
  const auto missing = minus(wanted, installed);
  const auto extra = minus(installed, wanted);
  CHECK_MESSAGE(missing.empty(), "in build_packages, not installed by docker/Dockerfile's builder: ", joined(missing));
  CHECK_MESSAGE(extra.empty(), "installed by docker/Dockerfile's builder, not in build_packages: ", joined(extra));
}

TEST_CASE("docker: the runtime stage has a package for every library the binary links, and no more") {
  const auto d = dockerfile::load();
  // slim_has describes this image only.
  REQUIRE(d.runtime().image == "debian:12-slim");
  const auto installed = apt_installs(d.runtime());
  REQUIRE(!installed.empty());

  const auto libraries = linked_libraries(EDGEPROBE_BINARY);
  REQUIRE(libraries.size() >= 3);
  std::set<std::string> needed;
  for (const auto& library : libraries) {
    const auto packages = owning_packages(library);
    CHECK_MESSAGE(!packages.empty(), "no package owns ", library, " (dpkg -S, /lib and /usr/lib tried)");
    const bool present = std::any_of(packages.begin(), packages.end(), [&](const std::string& p) {
      return installed.count(p) == 1 || slim_has.count(p) == 1;
    });
    CHECK_MESSAGE(present, library, " is in ", joined(packages),
                  ", which docker/Dockerfile's runtime stage does not install and debian:12-slim does not have");
    needed.insert(packages.begin(), packages.end());
  }
  // The tls, http and ews probes trust the system roots unless a suite gives a ca_file.
  CHECK_MESSAGE(installed.count("ca-certificates") == 1, "the runtime stage must install ca-certificates");
  for (const auto& p : installed) {
    CHECK_MESSAGE(!p.ends_with("-dev"), p, ": a -dev package in the runtime stage");
    CHECK_MESSAGE((p == "ca-certificates" || needed.count(p) == 1), p,
                  " is installed in the runtime stage, but the binary links no library of it");
  }
}

TEST_CASE("docker: the image runs serve as a non-root numeric user, and every COPY source exists") {
  const auto d = dockerfile::load();
  const auto users = all_of(d.runtime(), "USER");
  REQUIRE_MESSAGE(!users.empty(), "the runtime stage has no USER: it would run as root");
  const std::string user = users.back()->args;
  // Numeric: Kubernetes' runAsNonRoot cannot check a name.
  CHECK_MESSAGE(std::regex_match(user, std::regex("[0-9]+")), "USER ", user, " should be a numeric UID");
  CHECK_MESSAGE(user != "0", "USER 0 is root");
  bool created = false;
  for (const auto* run : all_of(d.runtime(), "RUN"))
    if (run->args.find("--uid " + user) != std::string::npos) created = true;
  CHECK_MESSAGE(created, "no RUN in the runtime stage creates UID ", user, " (useradd --uid ", user, ")");

  const auto entrypoints = all_of(d.runtime(), "ENTRYPOINT");
  const auto cmds = all_of(d.runtime(), "CMD");
  REQUIRE(!entrypoints.empty());
  REQUIRE(!cmds.empty());
  CHECK(parse_with_comments(entrypoints.back()->args, "ENTRYPOINT") == nlohmann::json::array({"edgeprobe"}));
  const auto cmd = parse_with_comments(cmds.back()->args, "CMD");
  REQUIRE(cmd.is_array());
  REQUIRE(cmd.size() == 3);
  CHECK(cmd[0] == "serve");
  CHECK(cmd[1] == "--config");
  // The config CMD names is one the image carries: docker/serve.example.json.
  const auto config = d.repository_file_for(cmd[2].get<std::string>());
  CHECK_MESSAGE(config == docker_dir / "serve.example.json", cmd[2], " in the image comes from ",
                config ? config->string() : "nowhere");

  for (const auto& s : d.stages)
    for (const auto& copy : context_copies(s))
      for (const auto& source : copy.sources)
        CHECK_MESSAGE(fs::exists(source_dir / source), "COPY ", source, ": no such path in the repository");
}

TEST_CASE("docker: serve.example.json loads, listens on 0.0.0.0:9443, and its suites exist and validate") {
  const auto d = dockerfile::load();
  const auto config = parse_with_comments(read_text(docker_dir / "serve.example.json"), "docker/serve.example.json");
  REQUIRE(config.is_object());
  // The image carries this file: 127.0.0.1 would be unreachable from outside the container.
  CHECK(config.value("listen", "") == "0.0.0.0:9443");
  REQUIRE(config.contains("suites"));
  REQUIRE(config["suites"].is_array());
  REQUIRE(!config["suites"].empty());
  for (const auto& entry : config["suites"]) {
    REQUIRE(entry.contains("file"));
    CHECK(entry.contains("interval"));
    const std::string file = entry["file"];
    // Relative to the config's directory: docker/ here, /etc/edgeprobe in the image.
    const std::string in_image = file.starts_with("/") ? file : "/etc/edgeprobe/" + file;
    const auto from = d.repository_file_for(in_image);
    REQUIRE_MESSAGE(from, in_image, " is not in the image (no COPY puts it there)");
    CHECK_MESSAGE(fs::exists(*from), in_image, " comes from ", from->string(), ", which does not exist");
    if (!file.starts_with("/") && fs::exists(*from)) CHECK(fs::equivalent(*from, docker_dir / file));
    if (fs::exists(*from)) check_suite_validates(*from, entry.value("vars", nlohmann::json::object()), file);
  }
  // And serve's own loader accepts it, suites and vars included.
  check_serve_config(docker_dir / "serve.example.json");
}

TEST_CASE("docker: the Kubernetes examples: scrape annotations, serve on 0.0.0.0:9443, suites that validate") {
  const auto d = dockerfile::load();
  temp_dir dir;

  SUBCASE("deployment.yaml") {
    const auto yaml = read_text(docker_dir / "k8s/deployment.yaml");
    for (const char* line : {"prometheus.io/scrape: \"true\"", "prometheus.io/port: \"9443\"",
                             "prometheus.io/path: \"/metrics\"", "containerPort: 9443", "path: /healthz",
                             "runAsNonRoot: true", "readOnlyRootFilesystem: true", "drop: [\"ALL\"]",
                             "mountPath: /etc/edgeprobe\n"})
      CHECK_MESSAGE(yaml.find(line) != std::string::npos, "docker/k8s/deployment.yaml lacks ", std::string(line));

    // The ConfigMap is mounted on /etc/edgeprobe: its keys are files there.
    const auto data = json_block_scalars(yaml);
    REQUIRE(data.count("serve.json") == 1);
    for (const auto& [key, text] : data) dir.write(key, text);
    const auto config = parse_with_comments(data.at("serve.json"), "deployment.yaml serve.json");
    CHECK(config.value("listen", "") == "0.0.0.0:9443");
    REQUIRE(config["suites"].is_array());
    // The same config with the image's paths turned into this machine's, for serve --check.
    auto here = config;
    for (auto& entry : here["suites"]) {
      const std::string file = entry["file"];
      CHECK(entry.contains("interval"));
      std::optional<fs::path> local;
      if (!file.starts_with("/")) local = dir.path() / file;
      else if (file.starts_with("/etc/edgeprobe/")) local = dir.path() / file.substr(15);
      else local = d.repository_file_for(file);
      REQUIRE_MESSAGE(local, file, " is neither in the ConfigMap nor in the image");
      CHECK_MESSAGE(fs::exists(*local), file, ": ", local->string(), " does not exist");
      if (fs::exists(*local)) check_suite_validates(*local, entry.value("vars", nlohmann::json::object()), file);
      entry["file"] = local->string();
    }
    check_serve_config(dir.write("serve-here.json", here.dump(2)));
  }

  SUBCASE("cronjob.yaml") {
    const auto yaml = read_text(docker_dir / "k8s/cronjob.yaml");
    for (const char* line : {"concurrencyPolicy: Forbid", "runAsNonRoot: true", "readOnlyRootFilesystem: true",
                             "drop: [\"ALL\"]", "allowPrivilegeEscalation: false", "mountPath: /etc/edgeprobe\n"})
      CHECK_MESSAGE(yaml.find(line) != std::string::npos, "docker/k8s/cronjob.yaml lacks ", std::string(line));
    const auto data = json_block_scalars(yaml);
    REQUIRE(!data.empty());
    for (const auto& [key, text] : data) {
      parse_with_comments(text, "cronjob.yaml " + key);
      dir.write(key, text);
    }
    // args: [...] is a JSON array as YAML writes it.
    const auto at = yaml.find("args: [");
    REQUIRE(at != std::string::npos);
    const auto end = yaml.find(']', at);
    const auto args = parse_with_comments(yaml.substr(at + 6, end - at - 5), "cronjob.yaml args");
    REQUIRE(args.size() >= 2);
    CHECK(args[0] == "run");
    const std::string suite = args[1];
    REQUIRE(suite.starts_with("/etc/edgeprobe/"));
    REQUIRE_MESSAGE(data.count(suite.substr(15)) == 1, suite, " is not a key of the ConfigMap");
    auto vars = nlohmann::json::object();
    for (std::size_t i = 2; i + 1 < args.size(); ++i)
      if (args[i] == "--var") {
        const std::string pair = args[i + 1];
        vars[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
      }
    check_suite_validates(dir.path() / suite.substr(15), vars, suite);
  }
}

TEST_CASE("docker: systemd-analyze verify accepts the units without a word") {
  // verify fails when an ExecStart binary does not exist, and the units name
  // /usr/local/bin/edgeprobe: check copies that name the built binary instead.
  temp_dir dir;
  std::vector<std::string> argv{"systemd-analyze", "verify"};
  for (const auto* name : {"edgeprobe-run.service", "edgeprobe-run.timer", "edgeprobe-serve.service"}) {
    std::string text = read_text(docker_dir / "systemd" / name);
    const std::string installed = "/usr/local/bin/edgeprobe";
    const bool names_binary = text.find(installed) != std::string::npos;
    CHECK_MESSAGE((names_binary || std::string(name).ends_with(".timer")), std::string(name), " does not run ", installed);
    const std::string built = EDGEPROBE_BINARY;
    for (auto at = text.find(installed); at != std::string::npos; at = text.find(installed, at + built.size()))
      text.replace(at, installed.size(), built);
    argv.push_back(dir.write(name, text).string());
  }
  const auto r = run_process(argv);
  CHECK_MESSAGE(r.exit_code == 0, "systemd-analyze verify exited ", r.exit_code, "\n", r.out, r.err);
  // Unknown keys and values it cannot parse are only warnings (exit 0).
  CHECK_MESSAGE(r.out + r.err == "", "systemd-analyze verify:\n", r.out, r.err);

  // A Unit= that names no unit is not noticed by verify.
  const auto timer = read_text(docker_dir / "systemd/edgeprobe-run.timer");
  std::smatch m;
  REQUIRE(std::regex_search(timer, m, std::regex("\nUnit=([^\n]+)")));
  CHECK_MESSAGE(fs::exists(docker_dir / "systemd" / m[1].str()), "edgeprobe-run.timer starts ", m[1].str(),
                ", which is not in docker/systemd");
}

TEST_CASE("docker: the README's Prometheus config and alert rules pass promtool, and the rules fire as described") {
  const auto readme = read_text(docker_dir / "README.md");
  const auto yaml = fenced_blocks(readme, "yaml");
  temp_dir dir;

  const auto scrape = block_starting_with(yaml, "scrape_configs:");
  CHECK(scrape.find("vantage: dmz") != std::string::npos);
  const auto config = run_process({"promtool", "check", "config", dir.write("prometheus.yml", scrape).string()});
  CHECK_MESSAGE(config.exit_code == 0, config.out, config.err);

  const auto rules = block_starting_with(yaml, "groups:");
  const auto checked = run_process({"promtool", "check", "rules", dir.write("rules.yml", rules).string()});
  CHECK_MESSAGE(checked.exit_code == 0, checked.out, checked.err);

  // promtool's unit tests compare annotations exactly; these cases are about
  // which alerts fire with which labels, so the annotations are left out.
  std::string bare;
  {
    std::istringstream in(rules);
    std::size_t skip = std::string::npos;
    for (std::string line; std::getline(in, line);) {
      const auto indent = line.find_first_not_of(' ');
      if (skip != std::string::npos && (indent == std::string::npos || indent > skip)) continue;
      skip = std::string::npos;
      if (trimmed(line) == "annotations:") {
        skip = indent;
        continue;
      }
      bare += line + "\n";
    }
  }
  dir.write("rules-bare.yml", bare);
  // Two vantage points; check "split" fails from dmz only, "down" from both, "fine" from neither.
  std::string series;
  for (const auto& [check, dmz, cloud] : std::vector<std::tuple<std::string, int, int>>{
           {"split", 0, 1}, {"down", 0, 0}, {"fine", 1, 1}}) {
    for (const auto& [vantage, value] : {std::pair{std::string("dmz"), dmz}, std::pair{std::string("cloud"), cloud}})
      series += "      - series: 'edgeprobe_check_success{job=\"edgeprobe\",instance=\"" + vantage +
                ":9443\",vantage=\"" + vantage + "\",suite=\"s\",check=\"" + check +
                "\",probe=\"tcp\",target=\"t\"}'\n        values: '" + std::to_string(value) + "x15'\n";
  }
  series += "      - series: 'up{job=\"edgeprobe\",instance=\"dmz:9443\",vantage=\"dmz\"}'\n        values: '1x15'\n";
  series += "      - series: 'up{job=\"edgeprobe\",instance=\"cloud:9443\",vantage=\"cloud\"}'\n        values: '1x5 0x10'\n";
  series += "      - series: 'edgeprobe_serve_config_last_reload_successful{job=\"edgeprobe\",instance=\"dmz:9443\","
            "vantage=\"dmz\"}'\n        values: '1x15'\n";
  const std::string tests = R"(rule_files: [rules-bare.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
)" + series + R"(    alert_rule_test:
      - eval_time: 10m
        alertname: EdgeprobeCheckFailsFromSomeVantagePoints
        exp_alerts:
          - exp_labels: {severity: warning, job: edgeprobe, instance: "dmz:9443", vantage: dmz, suite: s, check: split, probe: tcp, target: t}
      - eval_time: 10m
        alertname: EdgeprobeCheckFailsEverywhere
        exp_alerts:
          - exp_labels: {severity: critical, suite: s, check: down}
      - eval_time: 14m
        alertname: EdgeprobeVantagePointDown
        exp_alerts:
          - exp_labels: {severity: warning, job: edgeprobe, instance: "cloud:9443", vantage: cloud}
      - eval_time: 14m
        alertname: EdgeprobeConfigReloadRefused
        exp_alerts: []
)";
  const auto unit = run_process({"promtool", "test", "rules", dir.write("tests.yml", tests).string()});
  CHECK_MESSAGE(unit.exit_code == 0, unit.out, unit.err);
}

TEST_CASE("docker: every edgeprobe_* metric docker/README.md names is one the sources write") {
  std::string sources;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir / "src"))
    if (entry.is_regular_file() && (entry.path().extension() == ".cpp" || entry.path().extension() == ".hpp"))
      sources += read_text(entry.path()) + "\n";
  const auto readme = read_text(docker_dir / "README.md");
  // Metric names, not path components such as build/edgeprobe_tests.
  const std::regex metric(R"((^|[^A-Za-z0-9_/.])(edgeprobe_[a-z_]+))");
  std::set<std::string> named;
  for (std::sregex_iterator it(readme.begin(), readme.end(), metric), end; it != end; ++it) named.insert((*it)[2].str());
  REQUIRE(named.count("edgeprobe_check_success") == 1);
  const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (const auto& name : named) {
    bool found = false;
    for (auto at = sources.find(name); !found && at != std::string::npos; at = sources.find(name, at + 1))
      found = (at == 0 || !word_char(sources[at - 1])) &&
              (at + name.size() == sources.size() || !word_char(sources[at + name.size()]));
    CHECK_MESSAGE(found, name, " is in docker/README.md but nothing in src/ writes it");
  }
}

} // TEST_SUITE
