// libFuzzer entry for nesting: the input is a program that writes JSON (open an
// array or an object, close, a value, a comment, a string full of brackets,
// open a thousand levels at once), always well formed, so the answer is known:
// the text parses exactly when it nests at most max_json_depth levels, and is
// refused at the first bracket past the limit otherwise. The same text then goes
// to the suite loader and the serve config loader, which must answer without
// crashing, and the locator must find every value of a document that parses.
#include "core/json_locator.hpp"
#include "core/json_text.hpp"
#include "core/suite_loader.hpp"
#include "probes/modules.hpp"
#include "serve/serve_config.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace edgeprobe;

struct generated {
  std::string text;
  std::size_t deepest = 0;
  std::size_t first_too_deep = std::string::npos; // offset of the first bracket past the limit
};

class writer {
public:
  generated out;

  void open(char bracket) {
    value_start();
    if (stack_.size() + 1 > max_json_depth && out.first_too_deep == std::string::npos) out.first_too_deep = out.text.size();
    out.text += bracket;
    stack_.push_back({bracket == '{', true});
    out.deepest = std::max(out.deepest, stack_.size());
  }
  void close() {
    if (stack_.empty()) return;
    out.text += stack_.back().object ? '}' : ']';
    stack_.pop_back();
  }
  void scalar(std::string_view token) {
    value_start();
    out.text += token;
  }
  void comment(bool line) { out.text += line ? "// ] } [ {\n" : "/* [[{{ */"; }
  void finish() {
    if (!done_) scalar("0"); // only comments so far
    while (!stack_.empty()) close();
  }
  bool done() const { return stack_.empty() && done_; }

private:
  struct level {
    bool object;
    bool first;
  };
  // Before a value: the comma, and in an object its key (written with its
  // value, so no key is ever left without one).
  void value_start() {
    if (stack_.empty()) {
      done_ = true;
      return;
    }
    auto& top = stack_.back();
    if (!top.first) out.text += ',';
    top.first = false;
    if (top.object) out.text += "\"k[" + std::to_string(keys_++) + "{\":";
  }

  std::vector<level> stack_;
  bool done_ = false;
  std::size_t keys_ = 0;
};

// 64 KB nests two thousand times deeper than the limit; the 1 MB this once
// allowed made executions slower (the loaders parse the text four times)
// without reaching anything new. The 100,000-level document is a unit test
// (tests/unit/suite_loader_hostile_test.cpp).
constexpr std::size_t max_text = 1u << 16;

generated generate(const std::uint8_t* data, std::size_t size) {
  writer w;
  for (std::size_t i = 0; i < size && w.out.text.size() < max_text && !w.done(); ++i) {
    switch (data[i] % 8) {
    case 0: w.open('['); break;
    case 1: w.open('{'); break;
    case 2: w.close(); break;
    case 3: w.scalar(std::to_string(data[i])); break;
    case 4: w.scalar("\"[[{{\\\"]]\""); break;
    case 5: w.comment(data[i] & 8); break;
    case 6: { // many levels at once: deep input from a short program
      const std::size_t count = i + 1 < size ? std::size_t{data[++i]} * 64 + 1 : 1;
      for (std::size_t n = 0; n < count; ++n) w.open(data[i] & 1 ? '{' : '[');
      break;
    }
    default: w.scalar(data[i] & 8 ? "true" : "null"); break;
    }
  }
  w.finish();
  return std::move(w.out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const generated g = generate(data, size);
  nlohmann::json doc;
  const auto bad = parse_json_text(g.text, doc);
  if (g.deepest <= max_json_depth) {
    if (bad) std::abort(); // well-formed and within the limit: must parse
    const json_locator locator(g.text);
    if (!locator.find("") || !locator.duplicate_keys().empty()) std::abort();
  } else {
    if (!bad || bad->what != json_text_error::kind::too_deep || bad->offset != g.first_too_deep) std::abort();
  }
  // Anything after the document is refused, a NUL byte included.
  std::string trailing = g.text;
  trailing += size % 2 ? std::string(1, '\0') + "x" : std::string(" x");
  if (!parse_json_text(trailing, doc)) std::abort();

  const auto suite = load_suite_text("{\"suite\": \"f\", \"checks\": [], \"description\": " + g.text + "}", "fuzz.json",
                                     "/nonexistent/edgeprobe-fuzz", {.probes = builtin_probes()});
  if (!suite.suite && suite.errors.empty()) std::abort();
  const auto config = load_serve_config_text("{\"suites\": " + g.text + "}", "serve.json", "/nonexistent/edgeprobe-fuzz");
  if (!config.config && config.errors.empty()) std::abort();
  return 0;
}
