#include "core/suite_loader.hpp"

#include "core/check_builder.hpp"
#include "core/check_graph.hpp"
#include "core/load_context.hpp"
#include "core/option_check.hpp"
#include "core/suite_defaults.hpp"
#include "core/suite_expand.hpp"
#include "core/suite_files.hpp"
#include "core/syntax.hpp"
#include "core/text_file.hpp"

namespace edgeprobe {

std::string diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + message;
  if (!suggestion.empty()) out += "; " + suggestion;
  return out;
}

namespace {

// The main file's own keys: the suite's name and description.
void read_suite_header(load_context& ctx, suite& out) {
  const auto& main = ctx.files.front();
  if (auto it = main.doc.find("suite"); it != main.doc.end() && it->is_string() && !main.expansion_failed("/suite")) {
    out.name = it->get<std::string>();
    if (!syntax::matches(syntax::suite_name(), out.name))
      ctx.error(0, "/suite", "must be letters, digits, '.', '_' and '-', not " + show_value(*it, ctx.raw_at(0, "/suite")),
                "for example \"contoso-edge\"");
  }
  if (auto it = main.doc.find("description"); it != main.doc.end() && it->is_string())
    out.description = it->get<std::string>();
}

load_result load(std::string text, const std::string& label, const std::filesystem::path& dir,
                 const std::filesystem::path& identity, const load_options& options) {
  load_context ctx(options);
  read_suite_files(ctx, std::move(text), label, dir, identity);
  load_result result;
  if (ctx.merge_order.empty()) { // the main file itself could not be read as a suite
    result.errors = ctx.take_errors();
    return result;
  }
  expand_suite(ctx);
  suite out;
  out.file = label;
  read_suite_header(ctx, out);
  const suite_defaults defaults = merge_defaults(ctx);

  // Each file's check array, in merge order. The vectors are reserved: a suite
  // of 10,000 checks otherwise holds the old and the new buffer at once while
  // they grow (a quarter of validate's peak).
  std::vector<std::pair<std::size_t, std::size_t>> arrays; // file index, number of checks
  std::size_t total = 0;
  for (std::size_t index : ctx.merge_order) {
    const auto checks = ctx.files[index].doc.find("checks");
    if (checks == ctx.files[index].doc.end() || !checks->is_array()) continue;
    arrays.emplace_back(index, checks->size());
    total += checks->size();
  }
  out.checks.reserve(total);
  std::vector<std::size_t> files_of;
  files_of.reserve(total);
  for (const auto& [index, count] : arrays) {
    for (std::size_t i = 0; i < count; ++i) {
      if (auto check = build_check(ctx, defaults, index, i)) {
        out.checks.push_back(std::move(*check));
        files_of.push_back(index);
      }
    }
  }
  std::vector<placed_check> placed;
  placed.reserve(out.checks.size());
  for (std::size_t i = 0; i < out.checks.size(); ++i) placed.push_back({files_of[i], &out.checks[i]});
  check_names_and_needs(ctx, placed);

  result.errors = ctx.take_errors();
  if (result.errors.empty()) {
    out.secrets = std::move(ctx.secrets);
    for (const auto& f : ctx.files)
      if (const auto vars = f.doc.find("vars"); vars != f.doc.end() && vars->is_object())
        for (const auto& [name, value] : vars->items()) out.variables.push_back(name);
    result.suite = std::move(out);
  }
  return result;
}

} // namespace

load_result load_suite_file(const std::filesystem::path& path, const load_options& options) {
  std::string text, error;
  // Generous: a generated suite with thousands of checks is still far below this.
  if (!read_text_file(path, text, error, std::size_t{64} << 20)) {
    load_result result;
    result.errors.push_back({path.string(), "", 0, 0, "cannot read the suite: " + error, ""});
    return result;
  }
  std::error_code ec;
  auto identity = std::filesystem::weakly_canonical(path, ec);
  if (ec) identity = path.lexically_normal();
  return load(std::move(text), path.string(), path.parent_path(), identity, options);
}

load_result load_suite_text(std::string_view text, const std::string& label, const std::filesystem::path& base_dir,
                            const load_options& options) {
  return load(std::string(text), label, base_dir, {}, options);
}

} // namespace edgeprobe
