// Test helper: a page rendered by a real browser, headless Chromium, the way a
// reader would open it: a screenshot to look at, and what the page logged to
// the console on the way (script errors, Content-Security-Policy violations).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::test {

// chromium's path on PATH; empty when it is not installed.
std::string chromium_path();

// What a test says when chromium_path() is empty: the default test run
// installs it, so a missing browser fails the test rather than skipping it.
inline const std::string chromium_missing =
    "chromium is not on PATH: the HTML report is checked by rendering it (apt-get install chromium; "
    "`bash tests/bootstrap.sh test` installs it)";

struct chromium_render {
  int exit_code = -1;
  std::string err;                      // chromium's stderr, whole (for INFO on failure)
  std::vector<std::string> console;     // console_messages(err)

  std::string console_text() const {    // for a failing check's message
    std::string text;
    for (const auto& line : console) text += line + "\n";
    return text;
  }
};

// Screenshots `html` (a file) into `png` with a width × height window, in a
// throwaway profile, killed after 60 s. Background networking is off and
// every host name resolves to nothing, so the browser sends no packet
// anywhere: a file:// page needs no network.
chromium_render render_screenshot(const std::filesystem::path& html, const std::filesystem::path& png,
                                  int width = 1280, int height = 1600);

// The lines of chromium's stderr that are the page's console messages or CSP
// violations. This Chromium logs every console message at INFO as
// `[...:INFO:CONSOLE:LINE] "text", source: URL (LINE)` (older ones wrote
// `CONSOLE(LINE)`), whatever its level, so any of them counts: the report has
// no script, and a message can only come from a blocked load or a broken page.
// The launcher's and D-Bus's own noise on stderr is not the page's.
std::vector<std::string> console_messages(std::string_view chromium_stderr);

// A PNG decoded (python3's zlib, un-filtering every scanline), with pixel
// counts. `error` is empty when it decoded.
struct png_facts {
  std::string error;
  int width = 0, height = 0;
  long pixels = 0;
  long white = 0;      // exactly #ffffff
  long background = 0; // of the most common colour
  std::map<std::string, long> colours; // each asked colour ("1a7f37") → pixels within 3 per channel

  double non_white_share() const { return pixels ? double(pixels - white) / double(pixels) : 0; }
  double non_background_share() const { return pixels ? double(pixels - background) / double(pixels) : 0; }
};

png_facts read_png(const std::filesystem::path& png, const std::vector<std::string>& colours = {});

} // namespace edgeprobe::test
