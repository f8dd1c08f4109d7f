#include "core/vars.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"
#include "core/syntax.hpp"
#include "core/text_file.hpp"

#include <cstdlib>

namespace edgeprobe {

namespace {

// Expansions that double in every variable would otherwise eat all memory.
constexpr std::size_t max_expansion = 1 << 20;

} // namespace

void variables::define(const std::string& name, std::string raw, std::filesystem::path dir) {
  auto [it, fresh] = vars_.try_emplace(name);
  if (fresh) order_.push_back(name);
  if (it->second.literal) return;
  it->second.raw = std::move(raw);
  it->second.dir = std::move(dir);
  it->second.required = false;
}

void variables::require(const std::string& name) {
  auto [it, fresh] = vars_.try_emplace(name);
  if (fresh) order_.push_back(name);
  if (it->second.literal) return;
  it->second.raw.clear();
  it->second.required = true;
}

void variables::set_literal(const std::string& name, std::string value) {
  auto [it, fresh] = vars_.try_emplace(name);
  if (fresh) order_.push_back(name);
  it->second = variable{};
  it->second.literal = true;
  it->second.at = state::done;
  it->second.value = std::move(value);
}

std::vector<std::string_view> variables::names() const {
  std::vector<std::string_view> out;
  for (const auto& name : order_) out.push_back(name);
  return out;
}

std::vector<std::pair<std::string, std::vector<variables::problem>>> variables::resolve(secret_set& secrets) {
  report out;
  for (const auto& name : order_) {
    auto& var = vars_.at(name);
    if (var.at == state::pending) resolve_one(var, name, secrets, out);
  }
  return out;
}

void variables::resolve_one(variable& var, const std::string& name, secret_set& secrets, report& out) {
  if (var.required) {
    var.at = state::broken;
    out.push_back({name,
                   {{"variable " + in_quotes(name) + " has no default and was not given",
                     "give it on the command line: --var " + name + "=VALUE (in serve's config: \"vars\")"}}});
    return;
  }
  var.at = state::expanding;
  expanding_.push_back(name);
  auto result = expand_text(var.raw, var.dir, secrets, [&](const std::string& used_name) -> const variable* {
    auto it = vars_.find(used_name);
    if (it == vars_.end()) return nullptr;
    if (it->second.at == state::pending) resolve_one(it->second, used_name, secrets, out);
    return &it->second;
  });
  expanding_.pop_back();
  if (!result.problems.empty()) out.emplace_back(name, std::move(result.problems));
  var.at = result.ok ? state::done : state::broken;
  var.value = std::move(result.value);
  var.secret = result.secret;
}

variables::expansion variables::expand(std::string_view text, const std::filesystem::path& dir,
                                       secret_set& secrets) const {
  return expand_text(text, dir, secrets, [this](const std::string& name) -> const variable* {
    auto it = vars_.find(name);
    return it == vars_.end() ? nullptr : &it->second;
  });
}

template <class Lookup>
variables::expansion variables::expand_text(std::string_view text, const std::filesystem::path& dir,
                                            secret_set& secrets, Lookup&& lookup) const {
  expansion out;
  auto fail = [&](std::string message, std::string suggestion = {}) {
    out.ok = false;
    out.problems.push_back({std::move(message), std::move(suggestion)});
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 3) == "$${") {
      out.value += "${";
      i += 3;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      out.value += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      fail("unterminated \"${\"", "write \"$${\" for a literal \"${\"");
      break;
    }
    const std::string_view inner = text.substr(i + 2, close - i - 2);
    i = close + 1;
    if (inner.starts_with("env:")) {
      const std::string name(inner.substr(4));
      const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
      if (!value) {
        fail("environment variable " + in_quotes(name) + " is not set");
        continue;
      }
      secrets.add(value);
      out.value += value;
      out.secret = true;
    } else if (inner.starts_with("file:")) {
      const std::filesystem::path written(inner.substr(5));
      std::string content, error;
      if (written.empty() || !read_text_file(written.is_absolute() ? written : dir / written, content, error)) {
        fail("cannot read file " + in_quotes(written.string()) + (error.empty() ? "" : ": " + error));
        continue;
      }
      // What `echo secret > file` adds is not part of the secret.
      while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
      secrets.add(content);
      out.value += content;
      out.secret = true;
    } else {
      const std::string name(inner);
      const variable* var = lookup(name);
      if (!var) {
        if (!syntax::matches(syntax::var_name(), name)) {
          fail(in_quotes("${" + name + "}") + " is not a variable reference",
               "names are letters, digits, '_', '.' and '-'; write \"$${\" for a literal \"${\"");
          continue;
        }
        auto suggestion = nearest(name, names());
        fail("undefined variable " + in_quotes(name), suggestion ? "did you mean " + in_quotes(*suggestion) + "?" : "");
        continue;
      }
      if (var->at == state::expanding) {
        std::string chain;
        bool in_cycle = false;
        for (const auto& link : expanding_) {
          in_cycle = in_cycle || link == name;
          if (in_cycle) chain += link + " -> ";
        }
        fail("variable cycle: " + chain + name);
        continue;
      }
      if (var->at != state::done) {
        out.ok = false; // broken or unresolved: its own problem is reported where it is defined
        continue;
      }
      out.value += var->value;
      out.secret = out.secret || var->secret;
    }
    if (out.value.size() > max_expansion) {
      fail("expands to more than 1 MiB");
      break;
    }
  }
  return out;
}

} // namespace edgeprobe
