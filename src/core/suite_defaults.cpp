#include "core/suite_defaults.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"
#include "core/suite_keys.hpp"

#include <algorithm>

namespace edgeprobe {

std::vector<const option_spec*> specs_for(const registry& probes, std::string_view key, bool expect) {
  std::vector<const option_spec*> out;
  for (const probe* p : probes.all()) {
    const auto& specs = expect ? p->options().expect : p->options().options;
    for (const auto& spec : specs)
      if (spec.key == key) out.push_back(&spec);
  }
  return out;
}

std::vector<std::string_view> all_probe_keys(const registry& probes, bool expect) {
  std::vector<std::string_view> out;
  for (const probe* p : probes.all())
    for (const auto& spec : expect ? p->options().expect : p->options().options)
      if (std::find(out.begin(), out.end(), spec.key) == out.end()) out.push_back(spec.key);
  return out;
}

namespace {

class merger {
public:
  explicit merger(load_context& ctx) : ctx_(ctx) {}

  suite_defaults run() {
    for (std::size_t index : ctx_.merge_order) {
      const auto& doc = ctx_.files[index].doc;
      const auto defaults = doc.find("defaults");
      if (defaults == doc.end() || !defaults->is_object()) continue;
      for (const auto& [key, value] : defaults->items()) option(index, key, value);
    }
    // Beneath every file's defaults; attributed to the main file's `defaults`.
    for (const auto& [key, value] : ctx_.options.outer_defaults)
      if (!out_.options.contains(key)) out_.options[key] = {value, 0, "/defaults"};
    return std::move(out_);
  }

private:
  void option(std::size_t file, const std::string& key, const nlohmann::json& value) {
    const std::string pointer = child_pointer("/defaults", key);
    if (key == "expect") return expect(file, value);
    if (const suite_key* common = find_common_check_key(key)) {
      if (!common->in_defaults)
        return ctx_.error(file, pointer, "cannot be a default", "set " + in_quotes(key) + " in each check", true);
      if (ctx_.files[file].expansion_failed(pointer)) return;
      nlohmann::json copy;
      auto problems = ctx_.problems_quoting_raw(file, pointer, value, copy, [&](nlohmann::json& v, const nlohmann::json& raw) {
        return check_common_key(key, v, raw);
      });
      report(file, pointer, problems);
      if (problems.empty()) out_.options[key] = {value, file, pointer};
      return;
    }
    const auto specs = specs_for(ctx_.probes, key, false);
    if (specs.empty()) {
      auto known = key_names(common_check_keys(), true);
      for (auto k : all_probe_keys(ctx_.probes, false)) known.push_back(k);
      return unknown(file, pointer, key, known);
    }
    if (accept(file, pointer, value, specs)) out_.options[key] = {value, file, pointer};
  }

  void expect(std::size_t file, const nlohmann::json& value) {
    if (!value.is_object()) return ctx_.error(file, "/defaults/expect", "must be an object");
    for (const auto& [key, inner] : value.items()) {
      const std::string pointer = child_pointer("/defaults/expect", key);
      const auto specs = specs_for(ctx_.probes, key, true);
      if (specs.empty()) unknown(file, pointer, key, all_probe_keys(ctx_.probes, true));
      else if (accept(file, pointer, inner, specs)) out_.expect[key] = {inner, file, pointer};
    }
  }

  // Valid when any probe that knows the key accepts it; the checks that use it
  // check it again against their own probe.
  bool accept(std::size_t file, const std::string& pointer, const nlohmann::json& value,
              const std::vector<const option_spec*>& specs) {
    if (ctx_.files[file].expansion_failed(pointer)) return false;
    const option_spec* first_spec = nullptr;
    for (const option_spec* spec : specs) {
      nlohmann::json copy = value;
      auto problems = check_option(*spec, copy, value, ctx_.hides(spec->key, value));
      if (problems.empty()) return true;
      if (!first_spec) first_spec = spec;
    }
    // Quoted as written: raw_at parses the file again, so only now.
    nlohmann::json copy = value;
    report(file, pointer, check_option(*first_spec, copy, ctx_.raw_at(file, pointer), ctx_.hides(first_spec->key, value)));
    return false;
  }

  void unknown(std::size_t file, const std::string& pointer, const std::string& key,
               const std::vector<std::string_view>& known) {
    auto near = nearest(key, known);
    ctx_.error(file, pointer, "unknown key", near ? "did you mean " + in_quotes(*near) + "?" : "", true);
  }

  void report(std::size_t file, const std::string& pointer, const std::vector<option_problem>& problems) {
    for (const auto& p : problems) ctx_.error(file, pointer + p.pointer, p.message, p.suggestion);
  }

  load_context& ctx_;
  suite_defaults out_;
};

} // namespace

suite_defaults merge_defaults(load_context& ctx) { return merger(ctx).run(); }

} // namespace edgeprobe
