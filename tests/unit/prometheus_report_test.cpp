// The prometheus format as its consumers read it: `promtool check metrics`
// accepts it without a lint warning, and the values and label values parse back
// to what the run held, hostile names included.
#include "report/prometheus_report.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

using namespace edgeprobe;

namespace {

const std::string hostile_name = "Zürich – 東京 \"quoted\" 'single' back\\slash\nnew=line|pipe";
const std::string plain_name = "Access Edge answers TLS";

check_result make_check(std::string name, std::string probe, status s, reason why, std::string message,
                        double duration_ms) {
  check_result c;
  c.name = std::move(name);
  c.probe = std::move(probe);
  c.target = "sip.contoso.com:443";
  c.outcome.raise(s, why, std::move(message));
  c.duration_ms = duration_ms;
  c.attempts = 1;
  return c;
}

// Every status, a reason with a hostile message, repeated phases, a TLS chain,
// a repeated check name and a target that is not valid UTF-8.
run_result hostile_run() {
  run_result run;
  run.suite = "edge \"lab\"";
  run.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1795860000));
  run.duration_ms = 812.5;

  auto tls = make_check(plain_name, "tls", status::pass, reason::none, "", 54.25);
  tls.phases = {{"dns", 0, 1.5}, {"connect", 1.5, 10}, {"tls", 11.5, 30}, {"connect", 41.5, 15}};
  address_result a;
  a.address = "192.0.2.10";
  a.port = 443;
  a.outcome.details = {{"tls", {{"chain", {{{"subject", "CN=sip.contoso.com"}, {"not_after", "2027-01-02T03:04:05Z"}},
                                           {{"subject", "CN=CA"}, {"not_after", "2030-01-01T00:00:00Z"}}}}}}};
  tls.addresses.push_back(a);
  run.results.push_back(tls);

  run.results.push_back(make_check(hostile_name, "tcp", status::fail, reason::tcp_refused,
                                   "refused | by 192.0.2.10\nsecond line", 12.3));
  run.results.push_back(make_check("expiring", "tls", status::warn, reason::tls_cert_expires_soon, "in 9 days", 40));
  run.results.push_back(make_check("broken option", "udp", status::error, reason::config_invalid, "bad", 0.5));
  run.results.push_back(make_check("after broken", "tcp", status::skip, reason::check_needs_failed, "needs", 0));
  auto repeated = make_check(plain_name, "tls", status::fail, reason::tcp_timeout, "silence", 3000);
  repeated.target = "bad\xff" "byte:443";
  run.results.push_back(repeated);
  return run;
}

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Reads one quoted label value, undoing the three escapes of format 0.0.4.
std::string unescaped_value(const std::string& line, std::size_t& i) {
  std::string out;
  for (++i; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] != '\\') {
      out += line[i];
      continue;
    }
    const char next = line.at(++i);
    out += next == 'n' ? '\n' : next;
  }
  ++i; // closing quote
  return out;
}

sample parse_sample(const std::string& line) {
  sample s;
  std::size_t i = line.find_first_of("{ ");
  s.name = line.substr(0, i);
  if (line.at(i) == '{') {
    ++i;
    while (line.at(i) != '}') {
      const auto eq = line.find('=', i);
      if (eq == std::string::npos || line.at(eq + 1) != '"') throw std::runtime_error("malformed sample: " + line);
      const std::string key = line.substr(i, eq - i);
      i = eq + 1;
      s.labels[key] = unescaped_value(line, i);
      if (line.at(i) == ',') ++i;
    }
    ++i;
  }
  s.value = std::stod(line.substr(i + 1));
  return s;
}

// The series' identity: its name and every label, in a stable order.
std::string series_key(const sample& s) {
  std::string key = s.name;
  for (const auto& [k, v] : s.labels) key += '\0' + k + '=' + v;
  return key;
}

// All samples; fails the test when a family's HELP/TYPE repeat, its samples
// are not together, or a series repeats (promtool 2.42 does not notice that,
// but a scrape rejects it).
std::vector<sample> parse_exposition(const std::string& text) {
  std::vector<sample> samples;
  std::set<std::string> finished, series;
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      const std::string family = line.substr(7, line.find(' ', 7) - 7);
      CHECK_MESSAGE(finished.insert(family).second, "TYPE twice for " << family);
      current = family;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    samples.push_back(parse_sample(line));
    CHECK_MESSAGE(samples.back().name == current, samples.back().name << " outside its family");
    CHECK_MESSAGE(series.insert(series_key(samples.back())).second, "duplicate series: " << line);
  }
  return samples;
}

std::optional<double> value_of(const std::vector<sample>& samples, const std::string& name,
                               const std::map<std::string, std::string>& wanted) {
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : wanted) match = match && s.labels.count(k) && s.labels.at(k) == v;
    if (match) return s.value;
  }
  return std::nullopt;
}

std::size_t count_of(const std::vector<sample>& samples, const std::string& name) {
  std::size_t n = 0;
  for (const auto& s : samples) n += s.name == name;
  return n;
}

std::string exposition(const run_result& run) {
  std::ostringstream out;
  write_prometheus_report(run, out, {});
  return out.str();
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("prometheus: promtool accepts the hostile run without a lint warning") {
  const test::temp_dir dir;
  const auto file = dir.write("metrics.prom", exposition(hostile_run()));
  const auto result = test::run_process({"sh", "-c", "promtool check metrics < '" + file.string() + "'"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "");
  CHECK(result.err == "");
}

TEST_CASE("prometheus: promtool reports what the first case asserts is absent") {
  // A family without HELP is a lint problem: exit code and text both show it,
  // so the assertions above have teeth.
  const test::temp_dir dir;
  const auto file = dir.write("metrics.prom", "# TYPE x gauge\nx{a=\"1\"} 1\n");
  const auto result = test::run_process({"sh", "-c", "promtool check metrics < '" + file.string() + "'"});
  CHECK(result.exit_code != 0);
  CHECK((result.out + result.err).find("no help text") != std::string::npos);
}

TEST_CASE("prometheus: success per check, one-hot status and run counts") {
  const auto samples = parse_exposition(exposition(hostile_run()));
  const std::string suite = "edge \"lab\"";
  CHECK(value_of(samples, "edgeprobe_check_success", {{"check", plain_name}}) == 1.0);
  CHECK(value_of(samples, "edgeprobe_check_success", {{"check", hostile_name}}) == 0.0);
  CHECK(value_of(samples, "edgeprobe_check_success", {{"check", "expiring"}}) == 1.0);
  CHECK(value_of(samples, "edgeprobe_check_success", {{"check", "broken option"}}) == 0.0);
  CHECK_FALSE(value_of(samples, "edgeprobe_check_success", {{"check", "after broken"}}).has_value());
  CHECK(count_of(samples, "edgeprobe_check_success") == 5);

  CHECK(count_of(samples, "edgeprobe_check_status") == 6 * 5);
  CHECK(value_of(samples, "edgeprobe_check_status", {{"check", hostile_name}, {"status", "fail"}}) == 1.0);
  CHECK(value_of(samples, "edgeprobe_check_status", {{"check", hostile_name}, {"status", "pass"}}) == 0.0);
  CHECK(value_of(samples, "edgeprobe_check_status", {{"check", "after broken"}, {"status", "skip"}}) == 1.0);
  double ones = 0;
  for (const auto& s : samples)
    if (s.name == "edgeprobe_check_status") ones += s.value;
  CHECK(ones == 6.0);

  CHECK(value_of(samples, "edgeprobe_run_checks", {{"status", "fail"}, {"suite", suite}}) == 2.0);
  CHECK(value_of(samples, "edgeprobe_run_checks", {{"status", "pass"}}) == 1.0);
  CHECK(value_of(samples, "edgeprobe_run_duration_seconds", {{"suite", suite}}) == doctest::Approx(0.8125));
  CHECK(value_of(samples, "edgeprobe_run_start_time_seconds", {}) == 1795860000.0);
}

TEST_CASE("prometheus: hostile label values round-trip exactly") {
  const auto samples = parse_exposition(exposition(hostile_run()));
  const auto duration = value_of(samples, "edgeprobe_check_duration_seconds",
                                 {{"check", hostile_name}, {"suite", "edge \"lab\""}, {"probe", "tcp"}});
  REQUIRE(duration.has_value());
  CHECK(*duration == doctest::Approx(0.0123));
  // Invalid UTF-8 becomes U+FFFD; the repeated name gets a suffix, not a clash.
  CHECK(value_of(samples, "edgeprobe_check_duration_seconds",
                 {{"check", plain_name + " #2"}, {"target", "bad\xEF\xBF\xBD" "byte:443"}}) == 3.0);
  CHECK(value_of(samples, "edgeprobe_check_reason_info", {{"check", hostile_name}, {"reason", "tcp.refused"}}) == 1.0);
  CHECK(value_of(samples, "edgeprobe_check_reason_info", {{"check", "expiring"}, {"reason", "tls.cert.expires_soon"}}) ==
        1.0);
  CHECK(count_of(samples, "edgeprobe_check_reason_info") == 5);
}

TEST_CASE("prometheus: phases summed by name, TLS leaf expiry per address") {
  const auto samples = parse_exposition(exposition(hostile_run()));
  CHECK(value_of(samples, "edgeprobe_check_phase_duration_seconds", {{"check", plain_name}, {"phase", "connect"}}) ==
        doctest::Approx(0.025));
  CHECK(value_of(samples, "edgeprobe_check_phase_duration_seconds", {{"check", plain_name}, {"phase", "tls"}}) ==
        doctest::Approx(0.030));
  CHECK(count_of(samples, "edgeprobe_check_phase_duration_seconds") == 3);
  CHECK(value_of(samples, "edgeprobe_tls_cert_not_after_seconds", {{"check", plain_name}, {"address", "192.0.2.10"}}) ==
        1798859045.0);
  CHECK(count_of(samples, "edgeprobe_tls_cert_not_after_seconds") == 1);
}

TEST_CASE("prometheus: an empty run still names its suite and passes promtool") {
  run_result run;
  run.suite = "empty";
  const auto text = exposition(run);
  const auto samples = parse_exposition(text);
  CHECK(count_of(samples, "edgeprobe_check_success") == 0);
  CHECK(value_of(samples, "edgeprobe_run_checks", {{"suite", "empty"}, {"status", "pass"}}) == 0.0);
  const test::temp_dir dir;
  const auto file = dir.write("metrics.prom", text);
  const auto result = test::run_process({"sh", "-c", "promtool check metrics < '" + file.string() + "'"});
  CHECK(result.exit_code == 0);
  CHECK(result.err == "");
}

} // TEST_SUITE

TEST_CASE("prometheus: edgeprobe's own lag is its own series, and left out of the phase durations") {
  run_result run;
  run.suite = "busy";
  auto c = make_check("slow tls", "tls", status::pass, reason::none, "", 180);
  // tls: 172 ms of wall time of which 171 were edgeprobe's queue.
  c.phases = {{"connect", 0, 2, 0.5, 1.5}, {"tls", 2, 172, std::nullopt, 171}};
  c.lag_ms = 172.5;
  run.results.push_back(c);
  const auto samples = parse_exposition(exposition(run));
  CHECK(value_of(samples, "edgeprobe_check_lag_seconds", {{"check", "slow tls"}}) == doctest::Approx(0.1725));
  CHECK(value_of(samples, "edgeprobe_check_phase_duration_seconds", {{"check", "slow tls"}, {"phase", "connect"}}) ==
        doctest::Approx(0.0005));
  CHECK(value_of(samples, "edgeprobe_check_phase_duration_seconds", {{"check", "slow tls"}, {"phase", "tls"}}) ==
        doctest::Approx(0.001));
}
