// The HTML report, read back as a browser would parse it: no byte of the run
// becomes markup (every tag on the page is one the report writes, and they
// nest), nothing refers outside the file, every check is there with its
// reason, message and hint, and the waterfall's bars sit where their phases
// are on the check's timeline. tests/integration/html_chromium_test.cpp
// renders it in a real browser.
#include "report/html_report.hpp"

#include "report/junit_report.hpp"
#include "support/result_builders.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

using namespace edgeprobe;
using test::make_address;
using test::make_check;

namespace {

const std::string fffd = "\xEF\xBF\xBD"; // U+FFFD

// What a hostile peer and an unusual suite author can put in a run: markup,
// a script, quotes of both kinds, an attribute breakout, newlines, a control
// byte, a byte that is not UTF-8, and text in other scripts.
const std::string unicode_name = "Zürich – 東京 edge answers";
const std::string script_name = "<script>alert('x')</script> & \"quoted\"";
const std::string fail_message = "banner \"<b>hi</b>\" & 'x'\nsecond line\x01 \xff end";
const std::string breakout_phase = "x\" onmouseover=\"alert(1)";

check_result with_phases(check_result c, double duration, std::vector<phase> phases) {
  c.duration_ms = duration;
  c.phases = std::move(phases);
  return c;
}

run_result hostile_run() {
  run_result run;
  run.suite = "edge & <dmz>";
  run.started_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795860000123));
  run.duration_ms = 812.4;

  auto pass = with_phases(make_check(unicode_name, "tls", status::pass, reason::none, ""), 100,
                          {{"dns", 0, 20}, {"connect", 20, 80}});
  pass.tags = {"edge", "<b>tag</b>"};
  pass.outcome.details = {{"tls", {{"chain", {{{"subject", "CN=sip.contoso.com"},
                                                {"issuer", "CN=Contoso <Issuing> CA"},
                                                {"sans", {"DNS:sip.contoso.com"}},
                                                {"not_after", "2027-02-21T14:38:07Z"},
                                                {"days_left", 90}}}}}}};
  run.results.push_back(pass);

  auto warn = make_check("certificate expires\nsoon", "tls", status::warn, reason::tls_cert_expires_soon,
                         "leaf expires in 9 days");
  warn.outcome.hint = "renew it: <ask> the PKI team & \"soon\"";
  run.results.push_back(warn);

  // Two addresses ran in parallel; the check's phases are the lookup and the
  // deciding address's.
  auto fail = with_phases(make_check(script_name, "tcp", status::fail, reason::tcp_refused, fail_message), 50,
                          {{"dns", 0, 10}, {breakout_phase, 10, 0}});
  fail.attempts = 2;
  fail.outcome.details = {{"banner", "<script>alert(1)</script>"}, {"raw", "bad \xff byte"}, {"quote", "it's"}};
  auto first = make_address("192.0.2.10", status::fail, reason::tcp_refused, "refused <fast>");
  first.phases = {{"connect", 10, 0}};
  first.outcome.details = {{"remote", "192.0.2.10:5061"}};
  auto second = make_address("2001:db8::10", status::fail, reason::tcp_timeout, "3 SYNs & no answer");
  second.phases = {{"connect", 10, 40}};
  fail.addresses = {first, second};
  run.results.push_back(fail);

  run.results.push_back(
      make_check("internal 'error'", "http", status::error, reason::internal_error, "option \"x\" unknown"));
  run.results.push_back(make_check("skipped", "dns", status::skip, reason::check_needs_failed,
                                   "needs another check, which failed"));
  return run;
}

std::string html_of(const run_result& run) {
  std::ostringstream out;
  write_html_report(run, out, {});
  return out.str();
}

std::string page_of(std::vector<const run_result*> runs, const html_page_options& options) {
  std::ostringstream out;
  write_html_page(runs, out, options);
  return out.str();
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::size_t count(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

struct tag {
  std::string name; // lower case, "/p" for a closing tag
  std::string text; // everything between < and >
};

// Every tag on the page, as an HTML tokenizer sees one: '<' followed by a
// letter, '/' or '!'. The run's text must never produce one.
std::vector<tag> tags_of(const std::string& html) {
  std::vector<tag> tags;
  // The stylesheet is raw text to the HTML parser: skip it.
  const auto style_start = html.find("<style>"), style_end = html.find("</style>");
  for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    if (at > style_start && at < style_end) continue;
    const auto end = html.find('>', at);
    REQUIRE(end != std::string::npos);
    const auto text = html.substr(at + 1, end - at - 1);
    std::size_t length = 0;
    while (length < text.size() && (std::isalnum(static_cast<unsigned char>(text[length])) || text[length] == '/' ||
                                    text[length] == '!'))
      ++length;
    auto name = text.substr(0, length);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    tags.push_back({name, text});
  }
  return tags;
}

// The elements the report writes; nothing that loads or runs anything.
const std::set<std::string> allowed_elements = {
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "nav",
    "h1", "h2", "h3", "p", "strong", "code", "span", "div", "i", "a", "ul", "li", "table", "tr", "th", "td",
    "dl", "dt", "dd", "article", "details", "summary", "pre"};
const std::set<std::string> void_elements = {"!doctype", "meta"};

// The tags nest: every element closes, in order. Text that broke out of its
// element (a stray '<' or a quote ending an attribute early) would not.
void check_nesting(const std::vector<tag>& tags) {
  std::vector<std::string> open;
  for (const auto& t : tags) {
    if (t.name.starts_with("/")) {
      REQUIRE_MESSAGE(!open.empty(), "</" << t.name << "> closes nothing");
      CHECK_MESSAGE(open.back() == t.name.substr(1), "<" << open.back() << "> closed by <" << t.name << ">");
      open.pop_back();
    } else if (!void_elements.contains(t.name)) {
      open.push_back(t.name);
    }
  }
  CHECK(open.empty());
}

// The left and width percentages of every waterfall bar, in page order.
std::vector<std::pair<double, double>> bars_of(const std::string& html) {
  static const std::regex bar(R"re(class="wf-bar" style="left:([0-9.]+)%;width:([0-9.]+)%)re");
  std::vector<std::pair<double, double>> bars;
  for (std::sregex_iterator it(html.begin(), html.end(), bar), end; it != end; ++it)
    bars.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  return bars;
}

// The part of the page that is one check's card.
std::string card_of(const std::string& html, const std::string& id) {
  const auto start = html.find("<article class=\"check");
  const auto at = html.find("id=\"" + id + "\"", start);
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find("</article>", at) - at);
}

} // namespace

TEST_SUITE("report") {

TEST_CASE("html_escaped: markup and both quotes become references, text is kept, bytes that are not text are not") {
  CHECK(html_escaped("<script>alert('x')</script> & \"y\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  CHECK(html_escaped("&amp;") == "&amp;amp;"); // text that looks like a reference stays text
  CHECK(html_escaped("line 1\nline 2\ttab") == "line 1\nline 2\ttab");
  CHECK(html_escaped("Zürich – 東京 🙂") == "Zürich – 東京 🙂");
  CHECK(html_escaped(std::string("a\x01\x00\x1b[31m\x7f" "b", 10)) == "a[31mb"); // control characters dropped
  CHECK(html_escaped("a\xff" "b\xC0\xBC") == "a" + fffd + "b" + fffd + fffd);  // not UTF-8, an overlong '<'
}

TEST_CASE("html: no byte of a hostile run becomes markup, and the page's elements nest") {
  const auto html = html_of(hostile_run());
  const auto tags = tags_of(html);
  REQUIRE(tags.size() > 100);
  for (const auto& t : tags) CHECK_MESSAGE(allowed_elements.contains(t.name.substr(t.name.starts_with("/"))), t.text);
  check_nesting(tags);
  CHECK_FALSE(has(html, "<script"));
  CHECK_FALSE(has(html, "<b>"));
  CHECK_FALSE(has(html, "<ask>"));
  CHECK_FALSE(has(html, "onmouseover=\"")); // the phase name did not end its title attribute
  CHECK(has(html, "x&quot; onmouseover=&quot;alert(1)"));
  // Exactly as escaped, spelled out here rather than computed by the function under test.
  CHECK(has(html, "<h3>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;</h3>"));
  CHECK(has(html, "<title>edgeprobe: edge &amp; &lt;dmz&gt;</title>"));
  CHECK(has(html, "<span class=\"tag\">&lt;b&gt;tag&lt;/b&gt;</span>"));
  CHECK(has(html, "renew it: &lt;ask&gt; the PKI team &amp; &quot;soon&quot;"));
  CHECK(has(html, "refused &lt;fast&gt;"));
  CHECK(has(html, "3 SYNs &amp; no answer"));
}

TEST_CASE("html: messages keep their newlines, control bytes are dropped and invalid UTF-8 shows as U+FFFD") {
  const auto html = html_of(hostile_run());
  CHECK(has(html, "<p class=\"message\">banner &quot;&lt;b&gt;hi&lt;/b&gt;&quot; &amp; &#39;x&#39;\nsecond line " +
                      fffd + " end</p>"));
  CHECK(has(html, ".message{margin:8px 0;white-space:pre-wrap"));
  CHECK(has(html, "<h3>certificate expires\nsoon</h3>"));
  CHECK(html.find('\x01') == std::string::npos);
  CHECK(html.find('\xff') == std::string::npos);
  CHECK(printable_text(html) == html); // the page is valid UTF-8 with nothing for printable_text to drop
}

TEST_CASE("html: unicode check names come through as UTF-8 text, declared as such") {
  const auto html = html_of(hostile_run());
  CHECK(has(html, "<meta charset=\"utf-8\">"));
  CHECK(has(html, "<html lang=\"en\">"));
  CHECK(has(html, "<h3>Zürich – 東京 edge answers</h3>"));
}

TEST_CASE("html: the evidence is there, pretty-printed and escaped, per check and per address") {
  const auto html = html_of(hostile_run());
  const auto fail = card_of(html, "r0-c2");
  CHECK(has(fail, "<details class=\"evidence\"><summary>Evidence</summary>"));
  CHECK(has(fail, "  &quot;banner&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;,\n"));
  CHECK(has(fail, "&quot;raw&quot;: &quot;bad " + fffd + " byte&quot;"));
  CHECK(has(fail, "&quot;quote&quot;: &quot;it&#39;s&quot;"));
  CHECK(has(fail, "<summary>Evidence from 192.0.2.10:5061</summary>"));
  CHECK(has(fail, "&quot;remote&quot;: &quot;192.0.2.10:5061&quot;"));
  // Each address with its own status, reason and message.
  CHECK(has(fail, "<code>[2001:db8::10]:5061</code><code class=\"reason\">tcp.timeout</code>"));
  CHECK(has(fail, "<p class=\"message\">3 SYNs &amp; no answer</p>"));
  // An address's own hint when it differs from the check's; not the check's again.
  CHECK(has(fail, html_escaped(hint(reason::tcp_timeout))));
  CHECK(count(fail, html_escaped(hint(reason::tcp_refused))) == 1);
  // A certificate chain is summarised first, the way the human report prints it.
  const auto pass = card_of(html, "r0-c0");
  CHECK(has(pass, "Issuer:     CN=Contoso &lt;Issuing&gt; CA"));
  CHECK(has(pass, "SANs:       DNS:sip.contoso.com"));
}

TEST_CASE("html: every check is there, in the suite's order, with status, reason code, message and hint") {
  const auto run = hostile_run();
  const auto html = html_of(run);
  CHECK(count(html, "<article class=\"check ") == run.results.size());
  std::size_t previous = 0;
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const auto& c = run.results[i];
    CAPTURE(c.name);
    const auto id = "r0-c" + std::to_string(i);
    const auto at = html.find("<article class=\"check s-" + std::string(to_string(c.outcome.state)) + "\" id=\"" + id);
    REQUIRE(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
    const auto card = card_of(html, id);
    CHECK(has(card, "<h3>" + html_escaped(c.name) + "</h3>"));
    if (c.outcome.why != reason::none) CHECK(has(card, "<code class=\"reason\">" + std::string(code(c.outcome.why))));
    if (!c.outcome.message.empty()) CHECK(has(card, html_escaped(c.outcome.message)));
    if (const auto hint = hint_or_standard(c.outcome); !hint.empty()) {
      CHECK(has(card, "<p class=\"hint\"><strong>Hint:</strong> " + html_escaped(hint) + "</p>"));
    }
    CHECK(has(card, "<code>" + html_escaped(c.target) + "</code>"));
    CHECK(has(card, "<code>" + html_escaped(c.probe) + "</code>"));
  }
  // The standard hint where the verdict has none, its own where it has one.
  CHECK(has(card_of(html, "r0-c2"), html_escaped(hint(reason::tcp_refused))));
  CHECK(has(card_of(html, "r0-c1"), "renew it:"));
  CHECK_FALSE(has(card_of(html, "r0-c0"), "class=\"hint\"")); // a plain pass has nothing to fix
  CHECK(has(card_of(html, "r0-c2"), "<dt>Attempts</dt><dd>2</dd>"));
}

TEST_CASE("html: what did not pass stands out: listed first with links, its card marked by status") {
  const auto html = html_of(hostile_run());
  const auto nav = html.substr(html.find("<nav class=\"attention\">"), html.find("</nav>") - html.find("<nav"));
  CHECK(html.find("<nav class=\"attention\">") < html.find("<article"));
  CHECK_FALSE(has(nav, "href=\"#r0-c0\"")); // the pass
  const auto warn = nav.find("href=\"#r0-c1\""), fail = nav.find("href=\"#r0-c2\"");
  const auto error = nav.find("href=\"#r0-c3\""), skip = nav.find("href=\"#r0-c4\"");
  REQUIRE(warn != std::string::npos);
  CHECK(warn < fail);
  CHECK(fail < error);
  CHECK(error < skip);
  CHECK(has(html, "<header class=\"top s-error\"><div class=\"overall\">ERROR</div>")); // the worst status
  CHECK(has(html, "5 checks: 1 pass, 1 warn, 1 fail, 1 error, 1 skip"));
  CHECK(has(html, ".check.s-fail{background:"));
}

TEST_CASE("html: the summary has the counts, the start time in UTC, the duration and the version") {
  const auto html = html_of(hostile_run());
  CHECK(has(html, "<td class=\"mono\">2026-11-28T10:00:00.123Z</td><td>812.4 ms</td><td>0.1.0</td>"));
  for (const auto* state : {"pass", "warn", "fail", "error", "skip"})
    CHECK(has(html, "<td class=\"count s-" + std::string(state) + " nonzero\">1</td>"));
  CHECK(has(html, "<td class=\"count\">5</td>"));
}

TEST_CASE("html: nothing on the page refers outside it, and the policy would block it if it did") {
  auto run = hostile_run();
  // Text that merely mentions a URL is text, and stays out of every attribute.
  run.results[0].target = "https://evil.example/x.png";
  run.results[1].outcome.message = "see http://evil.example/";
  const auto html = html_of(run);
  CHECK(has(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">"));
  for (const auto& t : tags_of(html)) {
    CAPTURE(t.text);
    CHECK_FALSE(has(t.text, "http:"));
    CHECK_FALSE(has(t.text, "https:"));
    CHECK_FALSE(has(t.text, "//"));
    CHECK_FALSE(has(t.text, "src="));
    CHECK_FALSE(has(t.text, "url("));
    if (const auto href = t.text.find("href=\""); href != std::string::npos) CHECK(t.text[href + 6] == '#');
  }
  const auto style = html.substr(html.find("<style>"), html.find("</style>") - html.find("<style>"));
  for (const auto* load : {"url(", "@import", "@font-face", "http", "//"}) CHECK_FALSE(has(style, load));
  for (const auto* load : {"src=", "@import", "url(", "<link", "<script", "<img", "<iframe", "<object", "<embed"})
    CHECK_FALSE(has(html, load));
}

TEST_CASE("html: the waterfall draws each phase to scale of the check's duration") {
  const auto html = html_of(hostile_run());
  // 100 ms: dns 0-20 and connect 20-100.
  const auto pass = bars_of(card_of(html, "r0-c0"));
  REQUIRE(pass.size() == 2);
  CHECK(pass[0].first == doctest::Approx(0).epsilon(1e-4));
  CHECK(pass[0].second == doctest::Approx(20).epsilon(1e-4));
  CHECK(pass[1].first == doctest::Approx(20).epsilon(1e-4));
  CHECK(pass[1].second == doctest::Approx(80).epsilon(1e-4));
  CHECK(has(card_of(html, "r0-c0"), "title=\"connect: 20.000 ms to 100.000 ms, 80.000 ms\""));
  // The axis: gridlines and labels every 20 ms.
  for (const auto* tick : {"<span style=\"left:0%\">0</span>", "<span style=\"left:40%\">40</span>",
                           "<span style=\"left:100%\">100</span>"})
    CHECK(has(card_of(html, "r0-c0"), tick));

  // 50 ms over two addresses: the check's own lanes (dns 0-10, a 0-ms phase
  // at 10), then each address's (connect 10-10, connect 10-50).
  const auto fail_card = card_of(html, "r0-c2");
  const auto fail = bars_of(fail_card);
  const std::vector<std::pair<double, double>> expected{{0, 20}, {20, 0}, {20, 0}, {20, 80}};
  REQUIRE(fail.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(fail[i].first == doctest::Approx(expected[i].first).epsilon(1e-4));
    CHECK(fail[i].second == doctest::Approx(expected[i].second).epsilon(1e-4));
  }
  CHECK(fail_card.find("wf-name mono\">192.0.2.10:5061") < fail_card.find("wf-name mono\">[2001:db8::10]:5061"));
  // A 0-ms phase keeps a visible sliver, and its exact numbers.
  CHECK(has(html, ".wf-bar{position:absolute;top:3px;height:14px;min-width:2px;"));
  CHECK(has(fail_card, "0.00 ms</span>"));
  CHECK(has(fail_card, ": 10.000 ms to 10.000 ms, 0.000 ms\""));
  CHECK(has(fail_card, "took 2 attempts")); // phases are of one attempt: said so
}

TEST_CASE("html: a phase that ends after the check's duration widens the scale instead of leaving the track") {
  run_result run;
  run.suite = "s";
  run.results.push_back(with_phases(make_check("late", "tcp", status::pass, reason::none, ""), 50,
                                    {{"connect", 0, 30}, {"banner", 30, 50}}));
  const auto bars = bars_of(html_of(run));
  REQUIRE(bars.size() == 2);
  CHECK(bars[1].first == doctest::Approx(37.5).epsilon(1e-4)); // 30 of 80
  CHECK(bars[1].first + bars[1].second == doctest::Approx(100).epsilon(1e-4));
}

TEST_CASE("html: a check without phases says so rather than drawing an empty chart") {
  run_result run;
  run.suite = "s";
  run.results.push_back(make_check("not run", "tcp", status::skip, reason::check_needs_failed, "needs x"));
  run.results.back().duration_ms = 0;
  const auto html = html_of(run);
  CHECK(bars_of(html).empty());
  CHECK(has(html, "No phases recorded."));
}

TEST_CASE("html page: the refresh meta only when asked, and the title given") {
  const auto run = hostile_run();
  const auto plain = page_of({&run}, {});
  CHECK_FALSE(has(plain, "http-equiv=\"refresh\""));
  const auto refreshing = page_of({&run}, {"edge status", 30});
  CHECK(has(refreshing, "<meta http-equiv=\"refresh\" content=\"30\">"));
  CHECK(count(refreshing, "http-equiv=\"refresh\"") == 1);
  CHECK(has(refreshing, "<title>edge status</title>"));
  CHECK(has(refreshing, "<h1>edge status</h1>"));
}

TEST_CASE("html page: several runs on one page, each in its section with its own ids, the header their worst") {
  run_result a, b;
  a.suite = "front";
  a.results.push_back(make_check("front door", "tcp", status::pass, reason::none, ""));
  b.suite = "back <office>";
  b.results.push_back(make_check("back door", "tcp", status::fail, reason::tcp_refused, "refused"));
  b.results.push_back(make_check("side door", "tcp", status::pass, reason::none, ""));
  const auto html = page_of({&a, &b}, {});
  CHECK(has(html, "<title>edgeprobe: front, back &lt;office&gt;</title>"));
  CHECK(count(html, "<section class=\"run\">") == 2);
  CHECK(has(html, "<h2><span class=\"badge s-pass\">PASS</span>front</h2>"));
  CHECK(has(html, "<h2><span class=\"badge s-fail\">FAIL</span>back &lt;office&gt;</h2>"));
  CHECK(html.find("front door") < html.find("back door"));
  CHECK(has(html, "id=\"r0-c0\""));
  CHECK(has(html, "id=\"r1-c0\""));
  CHECK(has(html, "id=\"r1-c1\""));
  CHECK(has(html, "href=\"#r1-c0\""));
  CHECK(has(html, "<div class=\"overall\">FAIL</div>"));
  CHECK(has(html, "3 checks: 2 pass, 1 fail in 2 suites"));
  check_nesting(tags_of(html));

  const auto empty = page_of({}, {});
  CHECK(has(empty, "No runs yet."));
  check_nesting(tags_of(empty));
}

TEST_CASE("the html reporter is registered and writes the one-run page") {
  const auto* html = find_reporter("html");
  REQUIRE(html != nullptr);
  CHECK(html->summary.find("self-contained") != std::string_view::npos);
  const auto run = hostile_run();
  std::ostringstream out;
  html->write(run, out, {});
  CHECK(out.str() == page_of({&run}, {}));
}

} // TEST_SUITE
