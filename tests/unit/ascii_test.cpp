// iequals_ascii: what replaced Boost.Beast's iequals after the ntlm and ssrp
// fuzz targets caught it reading past the end (the last characters differing
// only in case).
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
