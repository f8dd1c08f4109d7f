// A value quoted in a message is cut: a 30 MB target must not become a 30 MB
// error message (nor drag a secret's tail along with it).
#include "core/option_check.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

TEST_SUITE("suite") {

TEST_CASE("messages quote a long value by its first 80 bytes and its size") {
  const std::string huge(30'000'000, 'a');
  const auto shown = show_value(huge, huge);
  CHECK(shown.size() < 120);
  CHECK(shown.starts_with("\"aaaa"));
  CHECK(shown.ends_with("…\" (30000000 bytes)"));
  CHECK(in_quotes("sip.contoso.com:5061") == "\"sip.contoso.com:5061\""); // short values stay whole
}

TEST_CASE("a cut never splits a UTF-8 character") {
  std::string text(79, 'x');
  for (int i = 0; i < 40; ++i) text += "\xC3\xA4"; // ä: the cut at byte 80 would land inside one
  const auto shown = in_quotes(text);
  const auto cut = shown.find("…");
  REQUIRE(cut != std::string::npos);
  CHECK(shown.substr(0, cut) == "\"" + std::string(79, 'x')); // backs off to the character's start
}

} // TEST_SUITE
