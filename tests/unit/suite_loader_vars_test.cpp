// Variables: ${name}, ${env:NAME}, ${file:path}, the $${ escape, CLI overrides,
// and secrets (env, file, `password`) that never reach an error message.
#include "suite_loader_fakes.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace edgeprobe;
using test::all_errors;
using test::error_at;
using test::load_fake;

namespace {

// A suite with `vars` and one alpha check whose target and banner use them.
std::string suite_with(const std::string& vars, const std::string& target, const std::string& banner = "x") {
  return "{\"suite\": \"s\", \"vars\": " + vars + ", \"checks\": [{\"name\": \"c\", \"probe\": \"alpha\", " +
         "\"target\": \"" + target + "\", \"banner\": \"" + banner + "\"}]}";
}

const check_spec& only_check(const load_result& r) {
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  REQUIRE(r.suite->checks.size() == 1);
  return r.suite->checks[0];
}

// Sets an environment variable for one test case.
struct env_var {
  std::string name;
  env_var(std::string n, const char* value) : name(std::move(n)) { ::setenv(name.c_str(), value, 1); }
  ~env_var() { ::unsetenv(name.c_str()); }
};

} // namespace

TEST_CASE("vars expand in targets and options, through other vars, in any order") {
  const auto r = load_fake(suite_with(R"({"edge": "sip.${domain}", "domain": "contoso.example", "port": "443"})",
                                      "${edge}:${port}", "hello ${domain}"));
  const auto& c = only_check(r);
  CHECK(c.target.text == "sip.contoso.example:443");
  CHECK(c.target.host == "sip.contoso.example");
  CHECK(c.target.port == 443);
  CHECK(c.options["banner"] == "hello contoso.example");
  CHECK(r.suite->secrets.empty()); // plain vars are not secrets
}

TEST_CASE("$${ is a literal ${") {
  const auto r = load_fake(suite_with("{}", "a.example:1", "cost $${price}"));
  CHECK(only_check(r).options["banner"] == "cost ${price}");
}

TEST_CASE("an undefined variable is an error naming it, with the nearest name") {
  const auto r = load_fake(suite_with(R"({"domain": "x.example"})", "${domian}:1"));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/0/target");
  CHECK(r.errors[0].message.find("undefined variable \"domian\"") != std::string::npos);
  CHECK(r.errors[0].suggestion == "did you mean \"domain\"?");
}

TEST_CASE("a variable cycle is reported once, where it closes, with its chain") {
  const auto r = load_fake(suite_with(R"({"a": "${b}", "b": "${a}"})", "${a}:1"));
  REQUIRE(!r.suite);
  // The check's target uses a broken var: that is not reported again.
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/vars/b");
  CHECK(r.errors[0].message == "variable cycle: a -> b -> a");
}

TEST_CASE("an unterminated ${ gets the escape as its suggestion") {
  const auto r = load_fake(suite_with("{}", "a.example:1", "oops ${"));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/0/banner");
  CHECK(r.errors[0].suggestion.find("$${") != std::string::npos);
}

TEST_CASE("a variable that doubles at every step stops at 1 MiB instead of eating memory") {
  std::string vars = "{\"v0\": \"xxxxxxxxxxxxxxxx\"";
  for (int i = 1; i <= 24; ++i)
    vars += ", \"v" + std::to_string(i) + "\": \"${v" + std::to_string(i - 1) + "}${v" + std::to_string(i - 1) + "}\"";
  vars += "}";
  const auto r = load_fake(suite_with(vars, "a.example:1", "${v24}"));
  REQUIRE(!r.suite);
  bool capped = false;
  for (const auto& e : r.errors) capped = capped || e.message.find("more than 1 MiB") != std::string::npos;
  CHECK_MESSAGE(capped, all_errors(r));
}

TEST_CASE("CLI vars override the suite's, and are literal") {
  const auto r = load_fake(suite_with(R"({"domain": "suite.example"})", "${domain}:1"), {},
                           {{"domain", "cli.example"}});
  CHECK(only_check(r).target.host == "cli.example");
}

TEST_CASE("${env:NAME} reads the environment and makes the value a secret") {
  env_var token("EDGEPROBE_TEST_TOKEN", "tok-8c1f2e");
  const auto r = load_fake(suite_with("{}", "a.example:1", "auth ${env:EDGEPROBE_TEST_TOKEN}"));
  const auto& c = only_check(r);
  CHECK(c.options["banner"] == "auth tok-8c1f2e");
  CHECK(r.suite->secrets.redact("sent auth tok-8c1f2e") == "sent auth ***");
}

TEST_CASE("an unset environment variable is an error naming it") {
  ::unsetenv("EDGEPROBE_TEST_UNSET");
  const auto r = load_fake(suite_with("{}", "a.example:1", "${env:EDGEPROBE_TEST_UNSET}"));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].pointer == "/checks/0/banner");
  CHECK(r.errors[0].message.find("\"EDGEPROBE_TEST_UNSET\" is not set") != std::string::npos);
}

TEST_CASE("${file:path} is read relative to the suite, trailing newlines removed, and is a secret") {
  const auto r = load_fake(suite_with("{}", "a.example:1", "${file:files/secret.txt}"));
  const auto& c = only_check(r);
  CHECK(c.options["banner"] == "s3cr3t-from-file");
  CHECK(r.suite->secrets.redact("s3cr3t-from-file") == "***");

  // CRLF line ends, and blank lines after, are what editors add; none belong to the value.
  const auto crlf = load_fake(suite_with("{}", "a.example:1", "[${file:files/crlf.txt}]"));
  CHECK(only_check(crlf).options["banner"] == "[line-one]");
}

TEST_CASE("a file that cannot be read is an error naming it") {
  const auto r = load_fake(suite_with("{}", "a.example:1", "${file:files/missing.txt}"));
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].message.find("cannot read file \"files/missing.txt\"") != std::string::npos);
}

TEST_CASE("a secret never appears in an error message, even when it made the value wrong") {
  env_var bad("EDGEPROBE_TEST_BAD_COUNT", "hunter2-not-a-number");
  const auto r = load_fake(R"({"suite": "s", "checks": [{"name": "c", "probe": "alpha", "target": "a.example:1",
      "mode": "${env:EDGEPROBE_TEST_BAD_COUNT}", "count": 9}]})");
  REQUIRE(!r.suite);
  REQUIRE(error_at(r, "/checks/0/mode") != nullptr);
  REQUIRE(error_at(r, "/checks/0/count") != nullptr); // the plain value still gets reported with its value
  for (const auto& e : r.errors) {
    CHECK(e.to_string().find("hunter2") == std::string::npos);
    CHECK(e.suggestion.find("hunter2") == std::string::npos);
  }
  CHECK(error_at(r, "/checks/0/count")->to_string().find('9') != std::string::npos);
}

TEST_CASE("an option named password is a secret even when written in the suite") {
  const auto r = load_fake(R"({"suite": "s", "checks": [{"name": "c", "probe": "alpha", "target": "a.example:1",
      "username": "svc-probe", "password": "Plain-Pa55"}]})");
  REQUIRE_MESSAGE(r.suite, all_errors(r));
  CHECK(r.suite->secrets.redact("login svc-probe Plain-Pa55") == "login svc-probe ***");
}

TEST_CASE("a secret through a var stays a secret") {
  env_var token("EDGEPROBE_TEST_VIA_VAR", "via-var-secret");
  const auto r = load_fake(suite_with(R"({"token": "${env:EDGEPROBE_TEST_VIA_VAR}", "header": "Bearer ${token}"})",
                                      "a.example:1", "${header}"));
  const auto& c = only_check(r);
  CHECK(c.options["banner"] == "Bearer via-var-secret");
  CHECK(r.suite->secrets.redact(c.options["banner"].get<std::string>()) == "Bearer ***");
}
