// details.problems in the reports for people: the human report lists every
// finding under -v (and only then), the html card lists them when they say
// more than the check's reason, escaped, in the order found.
#include "report/html_report.hpp"
#include "report/human_report.hpp"
#include "support/result_builders.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace edgeprobe;
using test::make_address;
using test::make_check;

namespace {

const std::string hostile = "tower names <b>10.0.0.5</b> & \"x\"";

nlohmann::json problem(std::string reason, std::string state, std::string message, std::string address = {}) {
  nlohmann::json p = {{"reason", reason}, {"status", state}, {"message", message}};
  if (!address.empty()) p["address"] = address;
  return p;
}

// The DNAT story as the runner leaves it: the refusal is the reason, the
// mismatch found before it is the first problem, on the check and its address.
run_result dnat_run() {
  run_result run;
  run.suite = "epm";
  auto c = make_check("samr via the VIP", "rpc-epm", status::fail, reason::epm_dynamic_port_unreachable,
                      "the dynamic port 10.77.9.9:49664 refused");
  c.target = "10.77.9.9:135";
  c.outcome.details["problems"] = {
      problem("epm.address_mismatch", "warn", hostile, "10.77.9.9:135"),
      problem("epm.dynamic_port_unreachable", "fail", "the dynamic port 10.77.9.9:49664 refused", "10.77.9.9:135")};
  auto a = make_address("10.77.9.9", status::fail, reason::epm_dynamic_port_unreachable,
                        "the dynamic port 10.77.9.9:49664 refused");
  a.port = 135;
  a.outcome.details["port"] = 49664;
  a.outcome.details["problems"] = {problem("epm.address_mismatch", "warn", hostile),
                                   problem("epm.dynamic_port_unreachable", "fail", "the dynamic port 10.77.9.9:49664 refused")};
  c.addresses.push_back(a);
  run.results.push_back(c);

  // A lone finding that is the reason: nothing more to list on the html card.
  auto lone = make_check("plain refusal", "tcp", status::fail, reason::tcp_refused, "refused");
  lone.outcome.details["problems"] = {problem("tcp.refused", "fail", "refused", "192.0.2.1:443")};
  run.results.push_back(lone);
  return run;
}

std::string human(const run_result& run, bool verbose) {
  std::ostringstream out;
  report_options options;
  options.verbose = verbose;
  write_human_report(run, out, options);
  return out.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

} // namespace

TEST_CASE("human -v: every finding in the order found, with its status, reason, address and message") {
  const auto text = human(dnat_run(), true);
  const auto list = text.find("      problems, in the order found:\n");
  REQUIRE(list != std::string::npos);
  const auto first = text.find("        WARN  epm.address_mismatch  at 10.77.9.9:135\n", list);
  const auto second = text.find("        FAIL  epm.dynamic_port_unreachable  at 10.77.9.9:135\n", list);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(first < second);
  CHECK(text.find("              " + hostile + "\n", first) < second); // the message under its line
  // The address's evidence does not repeat the list the check already gave.
  CHECK(count(text, "epm.address_mismatch") == 1);
  CHECK(text.find("port: 49664") != std::string::npos); // the rest of the evidence is still there
}

TEST_CASE("human without -v: the check's reason and message only") {
  const auto text = human(dnat_run(), false);
  CHECK(text.find("epm.dynamic_port_unreachable") != std::string::npos);
  CHECK(text.find("problems") == std::string::npos);
  CHECK(text.find("epm.address_mismatch") == std::string::npos);
}

TEST_CASE("html: the card lists every finding, escaped, in order, and a lone finding that is the reason is not repeated") {
  std::ostringstream out;
  write_html_report(dnat_run(), out, {});
  const auto html = out.str();
  const auto list = html.find("<div class=\"problems\"><h4>Every finding, in the order found</h4><ol>");
  REQUIRE(list != std::string::npos);
  const auto end = html.find("</ol></div>", list);
  REQUIRE(end != std::string::npos);
  const auto items = html.substr(list, end - list);
  const auto mismatch = items.find("<code class=\"reason s-warn\">epm.address_mismatch</code>");
  const auto refused = items.find("<code class=\"reason s-fail\">epm.dynamic_port_unreachable</code>");
  REQUIRE(mismatch != std::string::npos);
  REQUIRE(refused != std::string::npos);
  CHECK(mismatch < refused);
  CHECK(items.find("<span class=\"badge s-warn\">WARN</span>") < mismatch);
  CHECK(items.find("at <code>10.77.9.9:135</code>") != std::string::npos);
  CHECK(items.find("tower names &lt;b&gt;10.0.0.5&lt;/b&gt; &amp; &quot;x&quot;") != std::string::npos);
  CHECK(html.find("<b>10.0.0.5</b>") == std::string::npos); // no byte of a message becomes markup
  CHECK(count(html, "<div class=\"problems\">") == 1);     // the lone refusal gets no list
}
