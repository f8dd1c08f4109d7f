// Hostile input to the loaders: nesting far past the limit, bytes after the
// document, files that are not regular files. Each of these crashed, hung or
// was accepted before; each must now be one clear error with its position.
#include "suite_loader_fakes.hpp"
#include "support/temp_dir.hpp"

#include "core/json_locator.hpp"
#include "core/json_text.hpp"
#include "core/text_file.hpp"
#include "serve/serve_config.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace edgeprobe;
using test::all_errors;
using test::load_fake;

namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

std::filesystem::path make_fifo(const test::temp_dir& dir, const std::string& name) {
  const auto path = dir.path() / name;
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  return path;
}

} // namespace

TEST_SUITE("loader") {

TEST_CASE("suite loader: json text 100,000 levels deep is refused at the first bracket past 32, without a crash") {
  nlohmann::json doc;
  const auto bad = parse_json_text(nested(100000), doc);
  REQUIRE(bad);
  CHECK(bad->what == json_text_error::kind::too_deep);
  CHECK(bad->message == "nested deeper than 32 levels");
  CHECK(bad->offset == 32); // the 33rd '['
  CHECK(doc.is_null());

  const auto objects = parse_json_text(std::string(100000, '{'), doc);
  REQUIRE(objects);
  CHECK(objects->what == json_text_error::kind::syntax); // "{{": a key must come first, and the parser says so first

  std::string deep_objects;
  for (int i = 0; i < 100000; ++i) deep_objects += "{\"a\":";
  const auto keyed = parse_json_text(deep_objects, doc);
  REQUIRE(keyed);
  CHECK(keyed->what == json_text_error::kind::too_deep);
  CHECK(keyed->offset == 32 * 5);
}

TEST_CASE("suite loader: 32 levels parse, and brackets in strings and comments do not count") {
  nlohmann::json doc;
  CHECK_FALSE(parse_json_text(nested(32), doc));
  CHECK(doc.is_array());
  const std::string text = "// [[[[ a comment\n[\"[[[[[[[[\", /* {{{{ */ " + nested(31) + "]";
  CHECK_FALSE(parse_json_text(text, doc));
  const auto bad = parse_json_text("/* [ */ [\"[\", " + nested(32) + "]", doc);
  REQUIRE(bad);
  CHECK(bad->offset == 14 + 31); // the 33rd real bracket: past the comment, the string and 31 of the nested ones
}

TEST_CASE("suite loader: a NUL byte or anything else after the document is an error at its position") {
  nlohmann::json doc;
  const std::string with_nul("{\"a\": 1}\0garbage", 16);
  const auto nul = parse_json_text(with_nul, doc);
  REQUIRE(nul);
  CHECK(nul->what == json_text_error::kind::nul_byte);
  CHECK(nul->offset == 8);
  CHECK(nul->message.find("NUL byte") != std::string::npos);

  const auto inside = parse_json_text(std::string("{\"a\": 1\0}", 9), doc);
  REQUIRE(inside);
  CHECK(inside->what == json_text_error::kind::nul_byte);
  CHECK(inside->offset == 7);

  const auto garbage = parse_json_text("{\"a\": 1} garbage", doc);
  REQUIRE(garbage);
  CHECK(garbage->what == json_text_error::kind::syntax);
  CHECK(garbage->offset == 9);
  CHECK(garbage->message.find("expected end of input") != std::string::npos);

  const auto loaded = load_fake(std::string("{\"suite\": \"s\",\n \"checks\": []}\0junk", 34));
  REQUIRE_MESSAGE(loaded.errors.size() == 1, all_errors(loaded));
  CHECK(loaded.errors[0].line == 2);
  CHECK(loaded.errors[0].column == 15);
  CHECK(loaded.errors[0].message.find("NUL byte") != std::string::npos);
}

TEST_CASE("suite loader: a suite 100,000 levels deep is one error with line and column, not a crash") {
  const std::string text = "{\"suite\": \"s\", \"checks\": [],\n \"description\": " + nested(100000) + "}";
  const auto r = load_fake(text);
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK_FALSE(r.suite);
  CHECK(r.errors[0].message == "nested deeper than 32 levels");
  CHECK(r.errors[0].line == 2);
  CHECK(r.errors[0].column == 17 + 31); // the 33rd level: "description"'s 32nd '[' (the document is the 1st)
  CHECK_FALSE(r.errors[0].suggestion.empty());
}

TEST_CASE("suite loader: an include nested too deep is refused in the include, the main file unharmed") {
  test::temp_dir dir;
  dir.write("deep.json", "{\"checks\": " + nested(50000) + "}");
  const auto r = load_fake(R"({"suite": "s", "include": ["deep.json"], "checks": []})", dir.path());
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].file == "deep.json");
  CHECK(r.errors[0].message == "nested deeper than 32 levels");
  CHECK(r.errors[0].column == 12 + 31);
}

TEST_CASE("suite loader: only regular files are read: a FIFO, a directory, a device are refused at once") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir, "pipe");
  std::string text, error;
  CHECK_FALSE(read_text_file(fifo, text, error)); // it blocked for ever before
  CHECK(error == "it is a FIFO, not a regular file");
  CHECK_FALSE(read_text_file(dir.path(), text, error));
  CHECK(error == "it is a directory");
  CHECK_FALSE(read_text_file("/dev/zero", text, error)); // it would be read without end
  CHECK(error == "it is a character device, not a regular file");
  const auto regular = dir.write("ok.txt", "hello");
  CHECK(read_text_file(regular, text, error));
  CHECK(text == "hello");
}

TEST_CASE("suite loader: a FIFO as the suite, an include or a ${file:} is an error naming it, not a hang") {
  test::temp_dir dir;
  make_fifo(dir, "pipe");
  const auto main = test::load_fake_file(dir.path() / "pipe");
  REQUIRE(main.errors.size() == 1);
  CHECK(main.errors[0].message == "cannot read the suite: it is a FIFO, not a regular file");

  const auto include = load_fake(R"({"suite": "s", "include": ["pipe"], "checks": []})", dir.path());
  REQUIRE_MESSAGE(include.errors.size() == 1, all_errors(include));
  CHECK(include.errors[0].pointer == "/include/0");
  CHECK(include.errors[0].message == "cannot read \"pipe\": it is a FIFO, not a regular file");

  const auto secret = load_fake(R"({"suite": "s",
    "checks": [{"name": "a", "probe": "alpha", "target": "a.example:1", "banner": "${file:pipe}"}]})",
                                dir.path());
  REQUIRE_MESSAGE(secret.errors.size() == 1, all_errors(secret));
  CHECK(secret.errors[0].message == "cannot read file \"pipe\": it is a FIFO, not a regular file");
}

TEST_CASE("suite loader: serve config: a FIFO and a config 100,000 levels deep are errors, not a hang or a crash") {
  test::temp_dir dir;
  const auto fifo = make_fifo(dir, "serve.json");
  const auto from_fifo = load_serve_config(fifo);
  REQUIRE(from_fifo.errors.size() == 1);
  CHECK(from_fifo.errors[0].message == "cannot read the serve config: it is a FIFO, not a regular file");

  const auto deep = load_serve_config_text("{\"suites\": " + nested(100000) + "}", "serve.json", dir.path());
  REQUIRE(deep.errors.size() == 1);
  CHECK(deep.errors[0].message == "nested deeper than 32 levels");
  CHECK(deep.errors[0].line == 1);
  CHECK(deep.errors[0].column == 12 + 31);
}

// The locator answers its first few questions by walking the text and the rest
// from an index: both must give the same answers.
std::optional<text_position> walked_and_indexed(const std::string& text, std::string_view pointer, bool at_key = false) {
  const json_locator walking(text);
  const auto walked = walking.find(pointer, at_key);
  const json_locator indexing(text);
  for (int i = 0; i < 10; ++i) (void)indexing.find("");
  const auto indexed = indexing.find(pointer, at_key);
  CHECK(walked.has_value() == indexed.has_value());
  if (walked && indexed) {
    CHECK(walked->line == indexed->line);
    CHECK(walked->column == indexed->column);
  }
  return indexed;
}

TEST_CASE("suite loader: the locator finds keys and values without a pointer string per value") {
  const std::string text = "{\"a\": [1, {\"b~/c\": 2, \"d\": [3, 4]}],\n \"e\\u0066\": 5, \"a\": [6]}";
  const json_locator locator(text);
  REQUIRE(locator.duplicate_keys().size() == 1);
  CHECK(locator.duplicate_keys()[0] == "/a");
  auto find = [&](std::string_view pointer, bool at_key = false) { return walked_and_indexed(text, pointer, at_key); };
  const auto last_a = find("/a"); // nlohmann keeps the last "a"
  REQUIRE(last_a);
  CHECK(last_a->line == 2);
  CHECK(last_a->column == 21);
  CHECK(find("/a", true)->column == 16); // its key
  CHECK(find("/a/0")->column == 22);
  CHECK(find("/ef")->line == 2);         // "e\u0066" is "ef"
  CHECK(find("/ef", true)->column == 2);
  CHECK(find("/a/5/x")->column == 21);   // not in the text: its nearest enclosing value
  CHECK(find("")->line == 1);
  CHECK(find("")->column == 1);
  CHECK_FALSE(locator.find("no slash"));

  const std::string first = "// a comment {\n{\"a\": [1, {\"b~/c\": 2, /* ] */ \"d\": [3, 4]}]}";
  auto in_first = [&](std::string_view pointer, bool at_key = false) { return walked_and_indexed(first, pointer, at_key); };
  CHECK(in_first("/a/1/b~0~1c")->column == 20);
  CHECK(in_first("/a/1/b~0~1c", true)->column == 12);
  CHECK(in_first("/a/1/d/1")->column == 40);
  CHECK(in_first("/a/01")->column == 7); // "01" is no index: /a
  CHECK(in_first("/a/1/d/2")->column == 36);
}

TEST_CASE("suite loader: the locator's positions do not depend on the order it is asked in") {
  // It counts lines on from its last answer (a file with a thousand mistakes
  // was once a thousand counts from the start): asked forwards, backwards,
  // twice at the same place and in a jumbled order, every answer must be a
  // fresh locator's.
  std::string text = "{\n";
  for (int i = 0; i < 60; ++i)
    text += " \"k" + std::to_string(i) + "\": \"\xc3\xa9t\xc3\xa9\"" + (i % 3 == 2 ? ",\n" : ", ");
  text += "\"end\": 0}";
  const json_locator shared(text);
  std::vector<int> order;
  for (int i = 0; i < 60; ++i) order.push_back(i);
  for (int i = 59; i >= 0; --i) order.push_back(i);
  for (int i = 0; i < 60; ++i) order.push_back((i * 37) % 60);
  order.push_back(7);
  order.push_back(7);
  for (const int i : order) {
    for (const bool at_key : {false, true}) {
      const std::string pointer = "/k" + std::to_string(i);
      CAPTURE(pointer);
      const auto asked = shared.find(pointer, at_key);
      const auto fresh = json_locator(text).find(pointer, at_key);
      REQUIRE(asked);
      REQUIRE(fresh);
      CHECK(asked->line == fresh->line);
      CHECK(asked->column == fresh->column);
      CHECK(asked->line == 2 + i / 3);
    }
  }
}

TEST_CASE("suite loader: a long key over a wide array costs memory linear in the text") {
  // Pointer strings per value would be 200,000 copies of a 100,000-byte key: 20 GB.
  std::string text = "{\"" + std::string(100000, 'k') + "\": [";
  for (int i = 0; i < 200000; ++i) text += i ? ",1" : "1";
  text += "]}";
  const json_locator locator(text);
  const auto at = locator.find("/" + std::string(100000, 'k') + "/199999");
  REQUIRE(at);
  CHECK(at->column == static_cast<int>(text.size()) - 2);
}

TEST_CASE("suite loader: a million mistakes are the first 1,000 and a count, not a message each") {
  std::string text = "{\"suite\": \"s\", \"checks\": [";
  for (int i = 0; i < 5000; ++i) text += i ? ",1" : "1";
  text += "]}";
  const auto r = load_fake(text);
  REQUIRE(r.errors.size() == 1001);
  CHECK(r.errors[0].pointer == "/checks/0");
  CHECK(r.errors[0].message.find("must be an object") != std::string::npos);
  CHECK(r.errors.back().message == "and 4000 more problems, not listed (only the first 1000 are)");
  CHECK(r.errors.back().file == "suite.json");

  // One value's own list of mistakes stops at a hundred.
  std::string include = "{\"suite\": \"s\", \"checks\": [], \"include\": [";
  for (int i = 0; i < 5000; ++i) include += i ? ",1" : "1";
  include += "]}";
  const auto list = load_fake(include);
  REQUIRE(list.errors.size() == 101);
  CHECK(list.errors[0].message == "and 4900 more problems in this value, not listed"); // at the list, so first
  CHECK(list.errors[0].pointer == "/include");
  CHECK(list.errors[1].message == "must be a string, not 1");
  CHECK(list.errors[1].pointer == "/include/0");
  CHECK(list.errors.back().pointer == "/include/99");
}

TEST_CASE("suite loader: a list where a top-level string belongs is named, not copied") {
  std::string text = "{\"suite\": \"s\", \"checks\": [], \"description\": [";
  for (int i = 0; i < 1000; ++i) text += i ? ",1" : "1";
  text += "]}";
  const auto r = load_fake(text);
  REQUIRE_MESSAGE(r.errors.size() == 1, all_errors(r));
  CHECK(r.errors[0].message == "must be a string, not a list");
  CHECK(r.errors[0].column == 45);
}

} // TEST_SUITE
