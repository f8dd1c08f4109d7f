// The HTML report in a real browser. `edgeprobe run --format html` reports a
// real run (a check that passes and one that fails, against loopback, one
// named with markup, quotes and non-ASCII text); headless Chromium renders the
// page; the screenshot is decoded and must show the page with its pass and
// fail badges in their colours; and the console must stay silent: no script
// error, no load refused by the page's Content-Security-Policy. An altered
// copy of the same page, with a script that logs an error and an external
// image, proves that the console check can fail.
#include "net/tcp_responder.hpp"
#include "support/chromium.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>


using namespace edgeprobe;

namespace {

const net::ip::tcp::endpoint any_loopback{net::ip::make_address("127.0.0.1"), 0};

// The report's status colours (html_report.cpp's stylesheet): the badges'.
const std::string pass_colour = "1a7f37", fail_colour = "cf222e";

// The page with `text` inserted before one of its own markers.
std::string inserted(std::string page, std::string_view before, std::string_view text) {
  const auto at = page.find(before);
  REQUIRE(at != std::string::npos);
  return page.insert(at, text);
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("--format html in headless Chromium: the page renders, pass and fail show, the console stays silent") {
  REQUIRE_MESSAGE(!test::chromium_path().empty(), test::chromium_missing);
  test::io_thread io;
  tcp_responder open(io.executor(), any_loopback);
  open.start();
  test::temp_dir dir;
  const auto suite = dir.write("s.json", R"({"suite": "html-browser", "checks": [
    {"name": "open port ✓ Zürich – Ωmega", "probe": "tcp", "target": "127.0.0.1:)" +
                                             std::to_string(open.local_endpoint().port()) + R"(", "tags": ["edge"]},
    {"name": "closed \"port\" <1> & <script>console.error(\"not escaped\")</script>", "probe": "tcp",
     "target": "127.0.0.1:)" + std::to_string(test::free_loopback_port()) + R"("}]})");
  const auto run = test::run_edgeprobe({"run", suite.string(), "--format", "html"});
  INFO(run.err);
  CHECK(run.exit_code == 1); // one check failed
  REQUIRE(run.out.starts_with("<!DOCTYPE html>"));
  const auto page = dir.write("report.html", run.out);
  CHECK(run.out.find("<h3>open port ✓ Zürich – Ωmega</h3>") != std::string::npos);
  CHECK(run.out.find("<h3>closed &quot;port&quot; &lt;1&gt; &amp; &lt;script&gt;console.error(&quot;not "
                     "escaped&quot;)&lt;/script&gt;</h3>") != std::string::npos);
  CHECK(run.out.find("<code class=\"reason\">tcp.refused</code>") != std::string::npos);

  const auto png = dir.path() / "report.png";
  const auto shot = test::render_screenshot(page, png, 1280, 1600);
  INFO("chromium's stderr:\n", shot.err);
  REQUIRE(shot.exit_code == 0);
  // Had the name's <script> become markup, the policy would have refused it
  // and said so here (and without the policy, it would have logged).
  CHECK_MESSAGE(shot.console.empty(), "console messages:\n" << shot.console_text());

  auto image = test::read_png(png, {pass_colour, fail_colour});
  CHECK_MESSAGE(image.error.empty(), image.error);
  CHECK(image.width == 1280);
  CHECK(image.height == 1600);
  // A blank or unstyled page would be nearly all one colour: this one has a
  // grey background, white cards, text, badges and bars.
  CHECK(image.non_white_share() > 0.25);
  CHECK(image.non_background_share() > 0.25);
  // The pass badge and the fail badge (and the FAIL header) in their colours;
  // a badge is about 60 × 18 pixels.
  CHECK(image.colours[pass_colour] > 500);
  CHECK(image.colours[fail_colour] > 2000);

  // The console check can fail: the same page, its policy let through inline
  // scripts, with a script that logs an error and an external image. Both
  // are caught: the error as logged, the image as blocked by the policy
  // (which makes no request for it). One render for both: Chromium's start
  // is most of a render's time.
  auto control = run.out;
  const std::string policy = "default-src 'none';";
  const auto at = control.find(policy);
  REQUIRE(at != std::string::npos);
  control.insert(at + policy.size(), " script-src 'unsafe-inline';");
  control = inserted(control, "</body>",
                     "<script>console.error(\"boom\")</script><img src=\"http://127.0.0.1:1/x.png\">");
  const auto noisy = test::render_screenshot(dir.write("noisy.html", control), dir.path() / "noisy.png", 800, 600);
  INFO("chromium's stderr for the control:\n", noisy.err);
  CHECK(noisy.exit_code == 0);
  CHECK(noisy.console.size() == 2);
  const auto caught = noisy.console_text();
  CHECK(caught.find("\"boom\"") != std::string::npos);
  CHECK(caught.find("Content Security Policy") != std::string::npos);
  CHECK(caught.find("http://127.0.0.1:1/x.png") != std::string::npos);
  open.stop();
}

} // TEST_SUITE
