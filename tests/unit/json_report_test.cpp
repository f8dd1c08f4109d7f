// The JSON document's shape (results.md) and redaction of secrets in every output.
#include "report/human_report.hpp"
#include "report/json_report.hpp"
#include "core/json_stream.hpp"
#include "report/redact.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <sstream>

using namespace edgeprobe;

namespace {

run_result sample() {
  run_result run;
  run.suite = "contoso-edge";
  run.started_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795860000123));
  run.duration_ms = 812.4004;
  check_result c;
  c.name = "Access Edge answers TCP";
  c.probe = "tcp";
  c.target = "sip.contoso.com:443";
  c.tags = {"edge"};
  c.outcome.raise(status::fail, reason::tcp_refused, "refused by 192.0.2.10:443 after 0.3 ms");
  c.outcome.hint = std::string(hint(reason::tcp_refused));
  c.outcome.details = {{"dns", {{"addresses", {"192.0.2.10"}}}}};
  c.started_ms = 0.8;
  c.duration_ms = 54.2;
  c.attempts = 1;
  c.lag_ms = 0.25;
  c.phases = {{"dns", 0.0, 1.2}, {"connect", 1.2, 0.3, 0.2, 0.1}};
  address_result a;
  a.address = "192.0.2.10";
  a.port = 443;
  a.outcome.raise(status::fail, reason::tcp_refused, "refused");
  a.outcome.details = {{"local_port", 50123}};
  a.phases = {{"connect", 1.2, 0.3}};
  c.addresses.push_back(a);
  run.results.push_back(c);
  check_result ok;
  ok.name = "passes";
  ok.probe = "dns";
  ok.target = "contoso.com";
  ok.attempts = 1;
  run.results.push_back(ok);
  return run;
}

} // namespace

TEST_CASE("the JSON document has exactly the fields of results.md") {
  const auto doc = to_json(sample());
  CHECK(doc["edgeprobe"] == EDGEPROBE_VERSION);
  CHECK(doc["suite"] == "contoso-edge");
  CHECK(doc["started_at"] == "2026-11-28T10:00:00.123Z");
  CHECK(doc["duration_ms"] == 812.4);
  CHECK(doc["status"] == "fail");
  CHECK(doc["summary"] == nlohmann::ordered_json{{"total", 2}, {"pass", 1}, {"warn", 0}, {"fail", 1}, {"error", 0}, {"skip", 0}});
  const auto& r = doc["results"][0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.push_back(k);
  // In the order results.md shows them, so a document reads the same everywhere.
  CHECK(keys == std::vector<std::string>{"name", "probe", "target", "tags", "status", "reason", "message", "hint",
                                         "started_ms", "duration_ms", "attempts", "lag_ms", "phases", "addresses",
                                         "details"});
  CHECK(r["lag_ms"] == 0.25);
  // network_ms only where the kernel measured it.
  CHECK(r["phases"][0] == nlohmann::ordered_json{{"name", "dns"}, {"start_ms", 0.0}, {"duration_ms", 1.2}, {"lag_ms", 0.0}});
  CHECK(r["reason"] == "tcp.refused");
  CHECK(r["phases"][1] == nlohmann::ordered_json{
                              {"name", "connect"}, {"start_ms", 1.2}, {"duration_ms", 0.3}, {"network_ms", 0.2}, {"lag_ms", 0.1}});
  const auto& a = r["addresses"][0];
  CHECK(a["address"] == "192.0.2.10");
  CHECK(a["port"] == 443);
  CHECK(a["status"] == "fail");
  CHECK(a["details"]["local_port"] == 50123);
  CHECK(doc["results"][1]["reason"].is_null());
  CHECK(doc["results"][1]["hint"].is_null());
}

TEST_CASE("the streamed report is nlohmann's dump(2) of the document, byte for byte") {
  auto run = sample();
  // Nesting, empty containers, escapes and a peer's invalid UTF-8.
  run.results[0].outcome.details["banner"] = std::string("220 \xff\xfe ok\r\n\"quoted\"");
  run.results[0].outcome.details["nested"] = {{"list", nlohmann::json::array({1, nlohmann::json::object(), "x"})},
                                              {"empty", nlohmann::json::array()},
                                              {"none", nlohmann::json::object()},
                                              {"flags", {true, false, nullptr}},
                                              {"unsigned", std::numeric_limits<std::uint64_t>::max()},
                                              {"negative", -42},
                                              {"cl\xc3\xa9 \"k\"", "key with an accent and quotes"}};
  run.results[0].addresses[0].outcome.details["tcp_info"] = {{"rtt_ms", 0.004}, {"mss", 1448}};
  run.results[1].addresses.push_back(run.results[0].addresses[0]);
  std::ostringstream streamed;
  write_json_report(run, streamed, {});
  const auto parsed = nlohmann::ordered_json::parse(streamed.str());
  CHECK(streamed.str() == parsed.dump(2) + "\n");
  CHECK(parsed == to_json(run));
  CHECK(parsed["results"][0]["details"]["banner"] == "220 \xef\xbf\xbd\xef\xbf\xbd ok\r\n\"quoted\"");
  CHECK(parsed["results"][1]["tags"] == nlohmann::ordered_json::array());
  CHECK(to_json(run.results[1]) == parsed["results"][1]);

  run.results.clear();
  std::ostringstream none;
  write_json_report(run, none, {});
  CHECK(none.str() == nlohmann::ordered_json::parse(none.str()).dump(2) + "\n");
  CHECK(none.str().find("\"results\": []") != std::string::npos);
}

TEST_CASE("a report of many checks, written in blocks on every core, is the one document in order") {
  // 1,000 checks are four blocks and a part: the pieces must join with the
  // right commas and indentation, and come out in the run's order.
  auto run = sample();
  const auto first = run.results[0];
  run.results.clear();
  for (int i = 0; i < 1000; ++i) {
    auto c = first;
    c.name = "check " + std::to_string(i);
    c.addresses[0].port = static_cast<std::uint16_t>(i);
    run.results.push_back(std::move(c));
  }
  std::ostringstream streamed;
  write_json_report(run, streamed, {});
  const auto parsed = nlohmann::ordered_json::parse(streamed.str());
  CHECK(streamed.str() == parsed.dump(2) + "\n");
  REQUIRE(parsed["results"].size() == 1000);
  for (int i = 0; i < 1000; ++i) {
    CHECK(parsed["results"][i]["name"] == "check " + std::to_string(i));
    CHECK(parsed["results"][i]["addresses"][0]["port"] == i);
  }
  CHECK(parsed["summary"]["fail"] == 1000);
}

namespace {

// A part whose members sort among, before and after the details' own, and one
// that replaces a member of the same key.
class sample_part final : public evidence_part {
public:
  void add_to(nlohmann::json& details) const override {
    details["b"] = 2;
    details["d"] = "from the part";
    details["z"] = {{"x", true}};
  }
  void write(json_stream& out, const std::function<void(std::string_view)>& before) const override {
    before("b");
    out.key("b");
    out.value(2LL);
    before("d");
    out.key("d");
    out.value(std::string_view("from the part"));
    before("z");
    out.key("z");
    out.open_object();
    out.key("x");
    out.boolean(true);
    out.close_object();
  }
};

} // namespace

TEST_CASE("an evidence part is written among the details as materialize_evidence adds it") {
  auto run = sample();
  auto& v = run.results[0].addresses[0].outcome;
  v.details = {{"a", 1}, {"c \"quoted\"", {1, 2}}, {"d", "replaced"}, {"problems", nlohmann::json::array()},
               {"\xc3\xa9", 3}};
  v.part = std::make_shared<sample_part>();
  run.results[1].outcome.part = std::make_shared<sample_part>(); // details of only the part
  run.results[1].outcome.details = nlohmann::json::object();
  std::ostringstream direct, materialized;
  write_json_report(run, direct, {});
  materialize_evidence(run);
  CHECK(v.part == nullptr);
  CHECK(v.details["d"] == "from the part");
  write_json_report(run, materialized, {});
  CHECK(direct.str() == materialized.str());
  CHECK(direct.str() == nlohmann::ordered_json::parse(direct.str()).dump(2) + "\n");
  CHECK(direct.str().find("\"replaced\"") == std::string::npos);
}

TEST_CASE("a piece of a document written apart splices in byte for byte") {
  std::ostringstream whole;
  {
    json_stream s(whole);
    s.open_object();
    s.key("list");
    s.open_array();
    std::ostringstream first, rest;
    {
      json_stream piece(first, 2, false);
      piece.element();
      piece.value(1LL);
    }
    {
      json_stream piece(rest, 2, true);
      piece.element();
      piece.open_object();
      piece.member("k", std::string("v"));
      piece.close_object();
    }
    s.splice(first.str());
    s.splice(rest.str());
    s.close_array();
    s.close_object();
  }
  CHECK(whole.str() == nlohmann::ordered_json{{"list", {1, {{"k", "v"}}}}}.dump(2));
}

TEST_CASE("the stream writes numbers and strings exactly as nlohmann does") {
  // The document's numbers are milliseconds rounded to the microsecond.
  std::vector<double> numbers = {0.0, -0.0, 1.0, 0.001, 0.0001, 1e-7, 812.4, 1e15, 1e16, 1e21, -3.5, 65535.0, 1.0 / 3};
  for (long long i = 0; i < 200000; ++i) numbers.push_back(static_cast<double>((i * 7919) % 100000000) / 1000.0);
  std::vector<std::string> texts = {"", "plain", "tab\there", "quote\"", "back\\slash", "caf\xc3\xa9", "\xff",
                                    std::string("nul\0byte", 8), "\x7f del", "~ and space"};
  std::ostringstream streamed;
  {
    json_stream s(streamed);
    s.open_array();
    for (double n : numbers) {
      s.element();
      s.value(n);
    }
    for (const auto& t : texts) {
      s.element();
      s.value(t);
    }
    s.close_array();
  }
  nlohmann::json expected = nlohmann::json::array();
  for (double n : numbers) expected.push_back(n);
  for (const auto& t : texts) expected.push_back(t);
  CHECK(streamed.str() == expected.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

TEST_CASE("secrets are redacted everywhere before any reporter sees them") {
  auto run = sample();
  run.results[0].outcome.message = "user s3cr3t-Pa55 rejected";
  run.results[0].outcome.details["echo"] = {{"s3cr3t-Pa55", "key holds it too"}, {"list", {"x s3cr3t-Pa55 y"}}};
  run.results[0].addresses[0].outcome.message = "sent s3cr3t-Pa55";
  secret_set secrets;
  secrets.add("s3cr3t-Pa55");
  redact(run, secrets);

  std::ostringstream json_out, human_out;
  write_json_report(run, json_out, {});
  report_options verbose;
  verbose.verbose = true;
  write_human_report(run, human_out, verbose);
  for (const auto& text : {json_out.str(), human_out.str()}) {
    CHECK(text.find("s3cr3t-Pa55") == std::string::npos);
    CHECK(text.find("***") != std::string::npos);
  }
}

TEST_CASE("the human report: one line per check, message and hint under failures, colour only when asked") {
  std::ostringstream plain, coloured;
  write_human_report(sample(), plain, {});
  report_options colour;
  colour.color = true;
  write_human_report(sample(), coloured, colour);
  const std::string text = plain.str();
  CHECK(text.find("FAIL  Access Edge answers TCP") != std::string::npos);
  CHECK(text.find("tcp.refused") != std::string::npos);
  CHECK(text.find("refused by 192.0.2.10:443") != std::string::npos);
  CHECK(text.find("hint: A reset came back") != std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
  CHECK(coloured.str().find("\033[31m") != std::string::npos);
}
