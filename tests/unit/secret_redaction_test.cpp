// Redaction of a secret in every form the program shows bytes in, of the
// fragment a cut leaves, and what it leaves alone; and regex errors that quote
// nothing of the pattern.
#include "core/byte_pattern.hpp"
#include "core/secrets.hpp"
#include "wire/dns/codec.hpp"
#include "wire/escape_bytes.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace edgeprobe;

namespace {

const std::string nasty = "p\xc3\xa4\tss\\w\"rd<Zq9"; // pä<TAB>ss\w"rd<Zq9

secret_set with(const std::string& secret) {
  secret_set s;
  s.add(secret);
  return s;
}

} // namespace

TEST_SUITE("secrets") {

TEST_CASE("secret redaction: the secret as is and as each escaper shows it") {
  const auto secrets = with(nasty);
  CHECK(secrets.redact("got " + nasty + " back") == "got *** back");
  CHECK(secrets.redact("got \"" + escape_bytes(nasty) + "\" back") == "got \"***\" back");
  CHECK(escape_bytes(nasty) == "p\\xc3\\xa4\\tss\\\\w\"rd<Zq9"); // the form is really different
  CHECK(secrets.redact("annotation " + escape_unprintable(nasty)) == "annotation ***");
  CHECK(secrets.redact("instance \"" + escape_for_quotes(nasty) + "\"") == "instance \"***\"");
  CHECK(secrets.redact("reply 41" + hex_digits(nasty) + "42") == "reply 41***42");
  CHECK(secrets.redact("name " + dns::label_text(nasty) + ".example") == "name ***.example");
}

TEST_CASE("secret redaction: a leading fragment before a cut goes, a word elsewhere stays") {
  const auto secrets = with("pässwörd123");
  // escape_bytes cut the echo after "pä\tss": 200 bytes shown, then the marker.
  const std::string echoed = std::string(195, 'A') + "pässwörd123";
  CHECK(secrets.redact("sent \"" + escape_bytes(echoed) + "\"") ==
        "sent \"" + std::string(195, 'A') + "***...(8 more bytes)\"");
  CHECK(secrets.redact("record \"p\\xc3\\xa4ss\"...") == "record \"***\"...");
  // Three bytes are not a fragment worth hiding, and ordinary text is not a cut.
  CHECK(secrets.redact("shown: pä...(3 more bytes)") == "shown: pä...(3 more bytes)");
  CHECK(secrets.redact("check pässw is fine") == "check pässw is fine");
  CHECK(secrets.redact("bypässw") == "bypässw"); // a message's end is not a cut
}

TEST_CASE("secret redaction: evidence strings end where a probe stopped reading, so their end is a cut") {
  const auto secrets = with("hunter2-Zq8v");
  nlohmann::json details = {{"received", {{"text", "AUTH hunt"}}}, {"reply_hex", "41" + hex_digits("hunter2")},
                            {"note", "hunter2-Zq8v and more"}};
  secrets.redact(details);
  CHECK(details["received"]["text"] == "AUTH ***");
  CHECK(details["reply_hex"] == "41***");
  CHECK(details["note"] == "*** and more");
}

TEST_CASE("secret redaction: merge keeps every form of the other set's secrets") {
  secret_set merged;
  merged.merge(with(nasty));
  CHECK(merged.redact(escape_bytes(nasty)) == "***");
}

TEST_CASE("secret redaction: a regex error names the mistake, never a fragment of the pattern") {
  for (const auto& [pattern, mistake] : std::vector<std::pair<std::string, std::string>>{
           {"^Master2Secret(x", "unmatched parenthesis"},
           {"Master2Secret[a-", "unmatched ["},
           {"Master2Secret(?<x", "invalid (?...) group"},
           {"Master2Secret)", "unmatched parenthesis"},
           {"*Master2Secret", "nothing to repeat"},
           {"Master2Secret\\", "trailing backslash"}}) {
    CAPTURE(pattern);
    std::string error;
    CHECK_FALSE(valid_regex(pattern, error));
    CHECK(error.find(mistake) != std::string::npos);
    for (std::size_t i = 0; i + 4 <= std::string_view("Master2Secret").size(); ++i)
      CHECK(error.find(std::string_view("Master2Secret").substr(i, 4)) == std::string::npos);
  }
}

} // TEST_SUITE
