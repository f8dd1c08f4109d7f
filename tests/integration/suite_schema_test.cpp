// The JSON Schema in suites/edgeprobe.schema.json is the one `edgeprobe schema`
// prints, and it agrees with the loader: python3-jsonschema, an independent
// validator, accepts and rejects the same corpus files the loader does.
#include "core/suite_loader.hpp"
#include "probes/modules.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace edgeprobe;

namespace {

const fs::path source_dir = EDGEPROBE_SOURCE_DIR;
const fs::path corpus = source_dir / "tests/data/suites/schema";
const fs::path committed_schema = source_dir / "suites/edgeprobe.schema.json";

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// python3-jsonschema's verdict per file: "valid" or "invalid: <why>".
std::map<fs::path, std::string> schema_verdicts(const std::vector<fs::path>& files) {
  std::vector<std::string> argv = {"python3", (source_dir / "tests/tools/schema_verdict.py").string(),
                                   committed_schema.string()};
  for (const auto& f : files) argv.push_back(f.string());
  const auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::map<fs::path, std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const bool valid = line.rfind("valid ", 0) == 0;
    const auto start = line.find(' ') + 1;
    const auto end = valid ? line.size() : line.find(": ", start);
    out[fs::path(line.substr(start, end - start))] = valid ? "valid" : "invalid" + line.substr(end);
  }
  return out;
}

// The shipped suites leave the site's names without a default (`null`): the
// user gives them with --var. These stand in for a site, for loading only.
std::map<std::string, std::string> required_vars(const fs::path& file) {
  std::ifstream in(file);
  const auto doc = nlohmann::json::parse(in, nullptr, false, true);
  std::map<std::string, std::string> out;
  if (!doc.is_object() || !doc.contains("vars")) return out;
  for (const auto& [name, value] : doc["vars"].items())
    if (value.is_null()) out[name] = name == "mailbox" ? "probe@site.example" : "site.example";
  return out;
}

std::string loader_errors(const fs::path& file) {
  std::string out;
  load_options options{.probes = builtin_probes()};
  options.vars = required_vars(file);
  for (const auto& d : load_suite_file(file, options).errors) out += d.to_string() + "\n";
  return out;
}

} // namespace

TEST_SUITE("schema") {

TEST_CASE("the committed schema is exactly what `edgeprobe schema` prints") {
  std::ifstream in(committed_schema);
  REQUIRE(in);
  const auto committed = nlohmann::json::parse(in);
  // On a mismatch: ./build/edgeprobe schema > suites/edgeprobe.schema.json
  CHECK(committed == suite_schema(builtin_probes()));
  const auto printed = test::run_edgeprobe({"schema"});
  REQUIRE(printed.exit_code == 0);
  CHECK(nlohmann::json::parse(printed.out) == committed);
}

TEST_CASE("good suites: the loader and python3-jsonschema both accept them") {
  auto files = files_in(corpus / "good");
  // The suites shipped in suites/ (all but the schema itself). exchange.json
  // reads its credentials from the environment, as a user runs it.
  ::setenv("EWS_USER", "CONTOSO\\probe", 0);
  ::setenv("EWS_PASSWORD", "placeholder-password", 0);
  for (const auto& f : files_in(source_dir / "suites"))
    if (f.filename() != "edgeprobe.schema.json") files.push_back(f);
  const auto verdicts = schema_verdicts(files);
  for (const auto& f : files) {
    CAPTURE(f.string());
    CHECK_MESSAGE(loader_errors(f).empty(), loader_errors(f));
    CHECK(verdicts.at(f) == "valid");
  }
}

TEST_CASE("bad suites: the loader and python3-jsonschema both reject them") {
  const auto files = files_in(corpus / "bad");
  REQUIRE(files.size() >= 10);
  const auto verdicts = schema_verdicts(files);
  for (const auto& f : files) {
    CAPTURE(f.string());
    CHECK_FALSE(loader_errors(f).empty());
    CHECK(verdicts.at(f).rfind("invalid", 0) == 0);
  }
}

// What JSON Schema cannot express (unique names, needs that resolve, variables):
// the loader rejects these and the schema lets them through. Should the schema
// learn one, this fails: move the file to bad/.
TEST_CASE("loader-only rules: the loader rejects, the schema cannot") {
  const auto files = files_in(corpus / "loader_only");
  const auto verdicts = schema_verdicts(files);
  for (const auto& f : files) {
    CAPTURE(f.string());
    CHECK_FALSE(loader_errors(f).empty());
    CHECK(verdicts.at(f) == "valid");
  }
}

} // TEST_SUITE
