// What the reports say about edgeprobe's own lag: a line when it is a large part
// of a check, nothing when it is noise; and serve's histogram of it.
#include "report/html_report.hpp"
#include "report/human_report.hpp"
#include "report/lag_note.hpp"
#include "serve/lag_histogram.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace edgeprobe;

namespace {

check_result busy_check(double duration_ms, double lag_ms) {
  check_result c;
  c.name = "edge TLS";
  c.probe = "tls";
  c.target = "sip.contoso.com:443";
  c.attempts = 1;
  c.duration_ms = duration_ms;
  c.lag_ms = lag_ms;
  c.phases = {{"connect", 0, 2, 0.02, 1.98}, {"tls", 2, duration_ms - 2, std::nullopt, lag_ms - 1.98}};
  return c;
}

run_result run_of(check_result c) {
  run_result run;
  run.suite = "edge";
  run.results.push_back(std::move(c));
  return run;
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("lag: a check that was mostly edgeprobe's queue says so, naming the phase") {
  const auto note = lag_note(busy_check(172, 141.98));
  CHECK(note.find("edgeprobe was busy: 142 ms of this check was its own queue") != std::string::npos);
  CHECK(note.find("140 ms of phase tls") != std::string::npos);
  CHECK(lag_note(busy_check(172, 9)).empty());   // under 10 ms: noise
  CHECK(lag_note(busy_check(2000, 200)).empty()); // under a fifth of the check
}

TEST_CASE("lag: the human report prints the note, and -v the network's and the queue's share of each phase") {
  std::ostringstream plain, verbose;
  write_human_report(run_of(busy_check(172, 141.98)), plain, {});
  CHECK(plain.str().find("edgeprobe was busy: 142 ms") != std::string::npos);
  report_options v;
  v.verbose = true;
  write_human_report(run_of(busy_check(172, 141.98)), verbose, v);
  CHECK(verbose.str().find("(network 0.02 ms, edgeprobe's queue 1.98 ms)") != std::string::npos);
  CHECK(verbose.str().find("(edgeprobe's queue up to 140 ms)") != std::string::npos);
  std::ostringstream quiet;
  write_human_report(run_of(busy_check(172, 5)), quiet, {});
  CHECK(quiet.str().find("busy") == std::string::npos);
}

TEST_CASE("lag: the html report shows the note and labels the waterfall's bars with the queue") {
  std::ostringstream out;
  write_html_report(run_of(busy_check(172, 141.98)), out, {});
  const auto page = out.str();
  CHECK(page.find("edgeprobe was busy: 142 ms") != std::string::npos);
  CHECK(page.find("edgeprobe&#39;s queue up to 140 ms") != std::string::npos);
}

TEST_CASE("lag: serve's histogram counts each check once, cumulative buckets, sum and count") {
  lag_histogram h;
  run_result run;
  for (double ms : {0.2, 3.0, 40.0, 2000.0}) run.results.push_back(busy_check(3000, ms));
  auto skipped = busy_check(0, 0);
  skipped.attempts = 0; // never ran: not a sample
  run.results.push_back(skipped);
  h.observe_run(run);
  std::ostringstream out;
  h.write(out, "edge");
  const auto text = out.str();
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_bucket{suite=\"edge\",le=\"0.0005\"} 1\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_bucket{suite=\"edge\",le=\"0.005\"} 2\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_bucket{suite=\"edge\",le=\"0.05\"} 3\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_bucket{suite=\"edge\",le=\"1\"} 3\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_bucket{suite=\"edge\",le=\"+Inf\"} 4\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_count{suite=\"edge\"} 4\n") != std::string::npos);
  CHECK(text.find("edgeprobe_serve_check_lag_seconds_sum{suite=\"edge\"} 2.0432\n") != std::string::npos);
}

}
