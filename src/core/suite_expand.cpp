#include "core/suite_expand.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"

#include <map>
#include <utility>

namespace edgeprobe {

namespace {

struct expander {
  load_context& ctx;
  std::size_t file;

  void walk(nlohmann::json& node, const std::string& pointer, bool is_password) {
    if (node.is_string()) {
      expand(node, pointer);
      if (is_password) ctx.secrets.add(node.get<std::string>());
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], child_pointer(pointer, i), false);
    } else if (node.is_object()) {
      for (auto& [key, value] : node.items()) walk(value, child_pointer(pointer, key), key == "password");
    }
  }

  void expand(nlohmann::json& node, const std::string& pointer) {
    auto& f = ctx.files[file];
    auto result = ctx.vars.expand(node.get_ref<const std::string&>(), f.dir, ctx.secrets);
    for (auto& p : result.problems) ctx.error(file, pointer, std::move(p.message), std::move(p.suggestion));
    if (result.ok) node = std::move(result.value);
    else f.unexpanded.insert(pointer);
  }
};

// A --var (or serve "vars") name no suite file defines is a typo until proven
// otherwise: ignored, the suite would run with its defaults, against the
// wrong target, and look green.
void check_overrides(load_context& ctx, const std::map<std::string, std::pair<std::size_t, std::string>>& defined) {
  if (ctx.merge_order.empty() || !ctx.options.unknown_vars_are_errors) return;
  const std::size_t main_file = ctx.merge_order.back();
  std::vector<std::string_view> names;
  for (const auto& [name, where] : defined) names.push_back(name);
  for (const auto& [name, value] : ctx.options.vars) {
    if (defined.count(name)) continue;
    const auto near = nearest(name, names);
    ctx.error(main_file, "/vars",
              "a value is given for " + in_quotes(name) + " (--var, or serve's \"vars\"), but no suite file defines it",
              near ? "did you mean " + in_quotes(*near) + "?" : "define it in the suite's \"vars\", or leave it out");
  }
}

} // namespace

void expand_suite(load_context& ctx) {
  std::map<std::string, std::pair<std::size_t, std::string>> origin; // variable → where it is defined
  for (std::size_t index : ctx.merge_order) {
    const auto& f = ctx.files[index];
    const auto vars = f.doc.find("vars");
    if (vars == f.doc.end() || !vars->is_object()) continue;
    for (const auto& [name, value] : vars->items()) {
      if (value.is_null()) ctx.vars.require(name);
      else if (value.is_string()) ctx.vars.define(name, value.get<std::string>(), f.dir);
      else continue; // reported by read_suite_files
      origin[name] = {index, child_pointer("/vars", name)};
    }
  }
  check_overrides(ctx, origin);
  for (const auto& [name, value] : ctx.options.vars) ctx.vars.set_literal(name, value);

  for (auto& [name, problems] : ctx.vars.resolve(ctx.secrets)) {
    const auto& [file, pointer] = origin.at(name);
    for (auto& p : problems) ctx.error(file, pointer, std::move(p.message), std::move(p.suggestion));
    ctx.files[file].unexpanded.insert(pointer);
  }

  for (std::size_t index : ctx.merge_order) {
    auto& doc = ctx.files[index].doc;
    if (!doc.is_object()) continue;
    expander walker{ctx, index};
    for (auto& [key, value] : doc.items()) {
      if (key == "$schema" || key == "include" || key == "vars") continue;
      if (key != "checks" || !value.is_array()) {
        walker.walk(value, child_pointer("", key), false);
        continue;
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto& check = value[i];
        const auto pointer = child_pointer("/checks", i);
        if (!check.is_object()) continue;
        // `probe` picks the option set (and the schema branch): it is always literal.
        for (auto& [check_key, check_value] : check.items())
          if (check_key != "probe")
            walker.walk(check_value, child_pointer(pointer, check_key), check_key == "password");
      }
    }
  }
}

} // namespace edgeprobe
