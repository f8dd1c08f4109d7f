// Suite files that are not JSON, or not a suite's shape: positions and messages.
#include "suite_loader_fakes.hpp"
#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using test::all_errors;
using test::error_at;
using test::load_fake;

TEST_CASE("a syntax error names the file, line and column") {
  const auto r = load_fake("{\n"
                           "  // a comment, and /* another */ before the mistake\n"
                           "  \"suite\": \"s\",\n"
                           "  \"checks\": [\n"
                           "    {\"name\": \"a\" \"probe\": \"alpha\"}\n"
                           "  ]\n"
                           "}\n");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK_FALSE(r.suite);
  const auto& d = r.errors[0];
  CHECK(d.file == "suite.json");
  CHECK(d.line == 5);
  CHECK(d.column == 24); // the closing quote of "probe", where the parser gave up
  CHECK(d.pointer.empty());
  CHECK(d.message.find("invalid JSON") == 0);
  CHECK(d.message.find("expected '}'") != std::string::npos);
  CHECK(d.to_string().starts_with("suite.json:5:24: /: invalid JSON: syntax error"));
}

TEST_CASE("a syntax error at the end of the text points past the last character") {
  const auto r = load_fake("{\"suite\": \"s\",\n \"checks\": [");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 2);
  CHECK(r.errors[0].column == 13);
  CHECK(r.errors[0].message.find("unexpected end of input") != std::string::npos);
}

TEST_CASE("columns count characters, not bytes") {
  const auto r = load_fake("{\"description\": \"Zürich – edge\", \"suite\": x}");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 1);
  CHECK(r.errors[0].column == 43); // 'x'; in bytes it would be 46 (ü and – are multi-byte)
}

TEST_CASE("a syntax error does not quote the broken text, which may hold a password") {
  const auto r = load_fake(R"({"suite": "s", "checks": [{"password": hunter2}]})");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string().find("hunter2") == std::string::npos);
  CHECK(r.errors[0].message.find("invalid literal") != std::string::npos);
}

TEST_CASE("the document must be an object") {
  const auto r = load_fake("[1, 2]");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer.empty());
  CHECK(r.errors[0].line == 1);
  CHECK(r.errors[0].column == 1);
  CHECK(r.errors[0].message == "must be an object, not a list");
}

TEST_CASE("empty input is a syntax error, not a crash") {
  const auto r = load_fake("");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("invalid JSON") == 0);
  CHECK(r.errors[0].line == 1);
}

TEST_CASE("a number too large for a double is an error at the number, not a crash") {
  // Found by the suite_loader fuzz target: nlohmann throws out_of_range for it,
  // which the loader did not catch.
  const auto r = load_fake("{\"suite\": \"s\",\n  \"checks\": [{\"name\": \"a\", \"probe\": \"alpha\", \"n\": 1e999}]}");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK_FALSE(r.suite);
  const auto& d = r.errors[0];
  CHECK(d.line == 2);
  CHECK(d.column == 51);
  CHECK(d.message == "invalid JSON: the number 1e999 is too large for a double");
  const auto fuzz = load_fake(test::corpus_bytes("suite_loader", "fuzz-crash-number-overflow"));
  REQUIRE(fuzz.errors.size() == 1);
  CHECK(fuzz.errors[0].message.find("is too large for a double") != std::string::npos);
}

TEST_CASE("a key written twice in one object is an error at the second") {
  const auto r = load_fake("{\"suite\": \"s\", \"checks\": [\n"
                           "  {\"name\": \"a\", \"probe\": \"alpha\", \"target\": \"a.example:1\",\n"
                           "   \"timeout\": \"5s\", \"timeout\": \"10s\"}]}");
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  const auto* d = error_at(r, "/checks/0/timeout");
  REQUIRE(d);
  CHECK(d->line == 3);
  CHECK(d->column == 21);
  CHECK(d->message.find("written twice") != std::string::npos);
}

TEST_CASE("absurdly deep nesting is refused before anything walks it") {
  std::string text = "{\"suite\": \"s\", \"checks\": [], \"description\": ";
  for (int i = 0; i < 100; ++i) text += "[";
  for (int i = 0; i < 100; ++i) text += "]";
  text += "}";
  const auto r = load_fake(text);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "nested deeper than 32 levels");
}

TEST_CASE("diagnostic::to_string formats file, position, pointer, message and suggestion") {
  CHECK(diagnostic{"s.json", "/checks/2/expect/san_include", 12, 5, "unknown key", "did you mean \"san_includes\"?"}
            .to_string() == "s.json:12:5: /checks/2/expect/san_include: unknown key; did you mean \"san_includes\"?");
  CHECK(diagnostic{"s.json", "", 0, 0, "cannot read the suite: No such file or directory", ""}.to_string() ==
        "s.json: /: cannot read the suite: No such file or directory");
}

TEST_CASE("a suite file that cannot be read is one error naming it") {
  const auto r = test::load_fake_file(test::data_dir() / "no-such-suite.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].file.ends_with("no-such-suite.json"));
  CHECK(r.errors[0].message == "cannot read the suite: No such file or directory");
}
