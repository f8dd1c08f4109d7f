#include "core/suite_files.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"
#include "core/suite_keys.hpp"
#include "core/syntax.hpp"
#include "core/text_file.hpp"

#include <algorithm>
#include <set>

namespace edgeprobe {

namespace {

std::string type_name(const nlohmann::json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "a list";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "true/false";
  if (value.is_null()) return "null";
  return "a number";
}

class reader {
public:
  explicit reader(load_context& ctx) : ctx_(ctx) {}

  void read(std::string text, const std::string& label, const std::filesystem::path& dir,
            const std::filesystem::path& identity, bool included) {
    // Nesting is bounded here, before the document is copied or walked.
    nlohmann::json doc;
    if (const auto bad = parse_json_text(text, doc)) {
      ctx_.error(label, "", position_of(text, bad->offset), bad->message, bad->suggestion);
      lost_include_ = lost_include_ || included;
      return;
    }
    const std::size_t index = ctx_.files.size();
    ctx_.files.push_back({label, dir, {}, std::move(doc), json_locator(std::move(text)), included, {}});
    const suite_file& file = ctx_.files.back();
    if (!file.doc.is_object()) return ctx_.error(index, "", "must be an object, not " + type_name(file.doc));
    for (const auto& pointer : file.locator.duplicate_keys())
      ctx_.error(index, pointer, "key written twice in the same object (the later one would silently win)", {},
                 true);
    check_top_level(index);
    if (!identity.empty()) seen_.insert(identity);
    chain_.push_back({identity, label});
    read_includes(index);
    chain_.pop_back();
    ctx_.merge_order.push_back(index);
  }

  // An include that could not be read or parsed (already reported): what it would
  // have contributed is unknown, so "missing checks" would be a false lead.
  bool lost_include() const { return lost_include_; }

private:
  void check_top_level(std::size_t index) {
    const auto& doc = ctx_.files[index].doc;
    const auto known = key_names(top_level_keys());
    for (const auto& [key, value] : doc.items()) {
      const std::string pointer = child_pointer("", key);
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        auto near = nearest(key, known);
        ctx_.error(index, pointer, "unknown key", near ? "did you mean " + in_quotes(*near) + "?" : "", true);
      } else if (key == "vars") {
        check_vars(index, value);
      } else if ((key == "defaults" && !value.is_object()) || (key == "checks" && !value.is_array())) {
        ctx_.error(index, pointer, std::string("must be ") + (key == "checks" ? "a list" : "an object") +
                                       ", not " + type_name(value));
      } else if (key == "include" || key == "suite" || key == "description" || key == "$schema") {
        const option_spec spec{key, key == "include" ? option_kind::string_list : option_kind::string, ""};
        // check_option may rewrite what it checks, so it gets a copy. A list or
        // an object where a string belongs is only named ("not a list"): an empty
        // one says that as well as a copy of a list of millions would.
        const bool container = value.is_array() || value.is_object();
        const bool right_type = key == "include" ? value.is_array() : value.is_string();
        nlohmann::json copy = container && !right_type ? nlohmann::json(value.type()) : value;
        for (auto& p : check_option(spec, copy, value, false))
          ctx_.error(index, pointer + p.pointer, p.message, p.suggestion);
      }
    }
    if (!ctx_.files[index].included && !doc.contains("suite"))
      ctx_.error(index, "", "missing required key \"suite\"", "name the suite: \"suite\": \"contoso-edge\"");
  }

  void check_vars(std::size_t index, const nlohmann::json& vars) {
    if (!vars.is_object()) return ctx_.error(index, "/vars", "must be an object, not " + type_name(vars));
    for (const auto& [name, value] : vars.items()) {
      const std::string pointer = child_pointer("/vars", name);
      if (!syntax::matches(syntax::var_name(), name))
        ctx_.error(index, pointer, "is not a valid variable name", "use letters, digits, '_', '.' and '-'", true);
      if (!value.is_string() && !value.is_null())
        ctx_.error(index, pointer, "must be a string (or null: no default, --var must give it), not " + type_name(value));
    }
  }

  void read_includes(std::size_t index) {
    const auto includes = ctx_.files[index].doc.find("include");
    if (includes == ctx_.files[index].doc.end() || !includes->is_array()) return;
    const auto list = *includes; // a copy: reading includes grows ctx_.files
    const auto dir = ctx_.files[index].dir;
    const auto label_dir = std::filesystem::path(ctx_.files[index].label).parent_path();
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) continue; // already reported
      const std::filesystem::path written = list[i].get<std::string>();
      const std::string pointer = child_pointer("/include", i);
      const auto path = written.is_absolute() ? written : dir / written;
      std::error_code ec;
      auto identity = std::filesystem::weakly_canonical(path, ec);
      if (ec) identity = path.lexically_normal();
      const std::string label =
          written.is_absolute() || label_dir.empty() ? written.lexically_normal().string()
                                                     : (label_dir / written).lexically_normal().string();
      auto in_chain = std::find_if(chain_.begin(), chain_.end(), [&](const auto& link) { return link.first == identity; });
      if (in_chain != chain_.end()) {
        std::string cycle;
        for (auto it = in_chain; it != chain_.end(); ++it) cycle += it->second + " -> ";
        ctx_.error(index, pointer, "include cycle: " + cycle + label);
        continue;
      }
      if (seen_.count(identity)) continue; // included twice (a diamond): its checks are in already
      std::string text, error;
      if (!read_text_file(path, text, error)) {
        ctx_.error(index, pointer, "cannot read " + in_quotes(label) + ": " + error);
        lost_include_ = true;
        continue;
      }
      read(std::move(text), label, path.parent_path(), identity, true);
    }
  }

  load_context& ctx_;
  std::vector<std::pair<std::filesystem::path, std::string>> chain_; // the include path to the current file
  std::set<std::filesystem::path> seen_;
  bool lost_include_ = false;
};

} // namespace

void read_suite_files(load_context& ctx, std::string text, const std::string& label,
                      const std::filesystem::path& dir, const std::filesystem::path& identity) {
  reader files(ctx);
  files.read(std::move(text), label, dir, identity, false);
  if (files.lost_include() || ctx.files.empty() || !ctx.files.front().doc.is_object() || ctx.files.front().doc.contains("checks")) return;
  const bool included_checks = std::any_of(ctx.files.begin(), ctx.files.end(), [](const suite_file& f) {
    return f.included && f.doc.is_object() && f.doc.contains("checks");
  });
  if (!included_checks)
    ctx.error(0, "", "missing required key \"checks\"", "add \"checks\": [...], or include a file that has them");
}

} // namespace edgeprobe
