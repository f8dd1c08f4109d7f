// Bytes as suites write them: hex with separators, text, and the patterns that
// judge received bytes, including a hostile answer against a costly regex.
#include "core/byte_pattern.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

struct collected final : config_errors {
  std::vector<std::pair<std::string, std::string>> errors;
  void add(std::string pointer, std::string message, std::string) override {
    errors.emplace_back(std::move(pointer), std::move(message));
  }
};

} // namespace

TEST_CASE("hex: two digits per byte, with spaces, tabs, newlines or colons between bytes") {
  std::string error;
  CHECK(decode_hex("16 03 01", error) == std::string("\x16\x03\x01", 3));
  CHECK(decode_hex("de:ad:BE:ef", error) == std::string("\xde\xad\xbe\xef", 4));
  CHECK(decode_hex("0001\n\t02", error) == std::string("\x00\x01\x02", 3));
  CHECK(decode_hex("", error) == std::string());

  CHECK_FALSE(decode_hex("abc", error));
  CHECK(error.find("two digits per byte") != std::string::npos);
  CHECK_FALSE(decode_hex("1 6", error)); // a separator inside a byte
  CHECK_FALSE(decode_hex("0g", error));
  CHECK(error == "not a hex digit: 'g'");
}

TEST_CASE("bytes: text or hex, errors at the pointer of the bad part") {
  collected errors;
  CHECK(parse_bytes({{"text", "PING\r\n"}}, "/send", errors) == "PING\r\n");
  CHECK(parse_bytes({{"hex", "00 ff"}}, "/send", errors) == std::string("\x00\xff", 2));
  CHECK(errors.errors.empty());
  CHECK_FALSE(parse_bytes({{"hex", "0"}}, "/send", errors));
  CHECK_FALSE(parse_bytes({{"text", "a"}, {"hex", "61"}}, "/send", errors));
  CHECK_FALSE(parse_bytes("plain", "/send", errors));
  REQUIRE(errors.errors.size() == 3);
  CHECK(errors.errors[0].first == "/send/hex");
  CHECK(errors.errors[1].first == "/send");
  CHECK(errors.errors[2].first == "/send");
}

TEST_CASE("patterns: a regex is searched, a hex prefix waits for enough bytes") {
  collected errors;
  const auto banner = parse_pattern("^SSH-2\\.0-", "/expect/banner", errors);
  REQUIRE(banner);
  CHECK(banner->match("SSH-2.0-OpenSSH_9.2\r\n", false) == byte_pattern::result::matched);
  CHECK(banner->match("SSH-", false) == byte_pattern::result::need_more);
  CHECK(banner->match("SSH-", true) == byte_pattern::result::mismatch);
  CHECK(banner->describe() == "/^SSH-2\\.0-/");

  const auto tls = parse_pattern({{"hex", "16 03"}}, "/expect/banner", errors);
  REQUIRE(tls);
  CHECK(tls->match(std::string("\x16", 1), false) == byte_pattern::result::need_more);
  CHECK(tls->match(std::string("\x16\x03\x03", 3), false) == byte_pattern::result::matched);
  CHECK(tls->match(std::string("\x15\x03", 2), false) == byte_pattern::result::mismatch);
  CHECK(errors.errors.empty());

  CHECK_FALSE(parse_pattern("(unclosed", "/expect/banner", errors));
  CHECK_FALSE(parse_pattern({{"hex", ""}}, "/expect/banner", errors)); // would match anything
  REQUIRE(errors.errors.size() == 2);
  CHECK(errors.errors[0].second.find("not a valid regular expression") != std::string::npos);
  CHECK(errors.errors[1].first == "/expect/banner/hex");
}

TEST_CASE("a costly regex against hostile bytes is a mismatch, not a hang or a crash") {
  collected errors;
  const auto pattern = parse_pattern("(a|aa)*(b|c)*d$", "/expect/reply", errors);
  REQUIRE(pattern);
  const std::string hostile(64 * 1024, 'a'); // what a server could send instead of a greeting
  CHECK(pattern->match(hostile, true) == byte_pattern::result::mismatch);
}
