// The project's one set of ASCII text helpers. iequals_ascii is what replaced
// Boost.Beast's iequals after the ntlm and ssrp fuzz targets caught it reading
// past the end (the last characters differing only in case); the others
// replaced a dozen private copies of the same loops.
#include "wire/ascii.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <string_view>

using namespace edgeprobe;

namespace {

// The text in a heap block of exactly its size: under ASan, any read past the
// end is a report, as it was in the fuzz targets.
std::unique_ptr<char[]> exact(std::string_view text) {
  auto block = std::make_unique<char[]>(text.size());
  std::memcpy(block.get(), text.data(), text.size());
  return block;
}

} // namespace

TEST_CASE("iequals_ascii: ASCII case folds, nothing else does") {
  const auto scheme = exact("nTLm");
  const auto upper = exact("NTLM");
  CHECK(iequals_ascii({scheme.get(), 4}, {upper.get(), 4})); // the fuzz crash: last letters differ in case
  CHECK(iequals_ascii("IsClustered", "iSCLUSTERED"));
  CHECK(iequals_ascii("", ""));
  CHECK_FALSE(iequals_ascii("NTLM", "NTLN"));
  CHECK_FALSE(iequals_ascii("NTLM", "NTL"));
  CHECK_FALSE(iequals_ascii("Basic", "Basic "));
  CHECK_FALSE(iequals_ascii("@", "`"));            // 0x40 and 0x60 are not letters
  CHECK_FALSE(iequals_ascii("[", "{"));            // nor 0x5B and 0x7B
  CHECK_FALSE(iequals_ascii("\xc3\x89", "\xc3\xa9")); // É and é: not ASCII, compared as bytes
  CHECK(ascii_lower('Z') == 'z');
  CHECK(ascii_lower('z') == 'z');
  CHECK(ascii_lower('\xC9') == '\xC9');
}

TEST_CASE("case: only A-Z and a-z change") {
  CHECK(ascii_upper('a') == 'A');
  CHECK(ascii_upper('A') == 'A');
  CHECK(ascii_upper('{') == '{');       // 0x7B, right after 'z'
  CHECK(ascii_upper('\xE9') == '\xE9'); // é in Latin-1: not ASCII
  CHECK(lower_ascii("Sip.Contoso.COM") == "sip.contoso.com");
  CHECK(upper_ascii("warn") == "WARN");
  CHECK(upper_ascii("\xc3\xa9t\xc3\xa9") == "\xc3\xa9T\xc3\xa9"); // UTF-8 bytes pass through
  CHECK(lower_ascii("").empty());
}

TEST_CASE("istarts_with_ascii, ifind_ascii, icontains_ascii") {
  CHECK(istarts_with_ascii("ServerName;SQL1", "servername;"));
  CHECK(istarts_with_ascii("abc", ""));
  CHECK_FALSE(istarts_with_ascii("Server", "ServerName"));
  CHECK_FALSE(istarts_with_ascii("", "a"));

  constexpr std::string_view text = "ServerName;A;;sERVERnAME;B;;";
  CHECK(ifind_ascii(text, ";;ServerName;") == 12);
  CHECK(ifind_ascii(text, ";;ServerName;", 13) == std::string_view::npos);
  CHECK(ifind_ascii(text, ";;") == 12);
  CHECK(ifind_ascii(text, ";;", 13) == 26);
  CHECK(ifind_ascii(text, "x", 100) == std::string_view::npos); // from past the end
  CHECK(ifind_ascii("ab", "abc") == std::string_view::npos);
  CHECK(ifind_ascii("<HTML><body>", "<html") == 0);
  // Needle at the very end of a block of exactly its size: no read past it.
  const auto block = exact("xxNTLM");
  CHECK(ifind_ascii({block.get(), 6}, "ntlm") == 2);

  CHECK(icontains_ascii("CN=Contoso Issuing CA 01", "issuing ca"));
  CHECK(icontains_ascii("anything", "")); // as Boost's icontains, which it replaced
  CHECK_FALSE(icontains_ascii("Contoso", "Fabrikam"));
  static_assert(ifind_ascii("abcABC", "CA") == 2);
  // The first byte's case, a first byte that matches where the rest does not,
  // an empty needle at and past the end.
  static_assert(ifind_ascii("xAbC", "abc") == 1);
  static_assert(ifind_ascii("aaab", "AAB") == 1);
  static_assert(ifind_ascii("<!doc <!DOCTYPE x>", "<!doctype") == 6);
  static_assert(ifind_ascii("abc", "", 3) == 3);
  static_assert(ifind_ascii("abc", "", 4) == std::string_view::npos);
  static_assert(ifind_ascii("", "") == 0);
}

TEST_CASE("trim_ows and trim_ascii_space") {
  CHECK(trim_ows(" \tNTLM TlRMTVNTUAAB\t ") == "NTLM TlRMTVNTUAAB");
  CHECK(trim_ows("\r\nx\r\n") == "\r\nx\r\n"); // HTTP's OWS is space and tab only
  CHECK(trim_ows(" \t ").empty());
  CHECK(trim_ows("").empty());
  CHECK(is_ows('\t'));
  CHECK_FALSE(is_ows('\n'));

  CHECK(trim_ascii_space("\r\n  <Value>\t\n") == "<Value>");
  CHECK(trim_ascii_space("\v x \f") == "\v x \f"); // not C's isspace: \v and \f stay
  CHECK(trim_ascii_space("\n\r\t ").empty());
  CHECK(is_ascii_space('\r'));
  CHECK_FALSE(is_ascii_space('\v'));
}
