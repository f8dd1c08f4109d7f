#include "core/check_builder.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"
#include "core/suite_keys.hpp"
#include "core/target_parse.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

const option_spec* find_spec(const std::vector<option_spec>& specs, std::string_view key) {
  auto it = std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.key == key; });
  return it == specs.end() ? nullptr : &*it;
}

std::string list(const std::vector<option_spec>& specs) {
  std::string out;
  for (const auto& s : specs) out += (out.empty() ? "" : ", ") + std::string(s.key);
  return out;
}

std::string probe_list(const registry& probes) {
  std::string out;
  for (auto name : probes.names()) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// A probe's semantic errors, at the check's pointer.
class prefixed_errors final : public config_errors {
public:
  prefixed_errors(load_context& ctx, std::size_t file, std::string base) : ctx_(ctx), file_(file), base_(std::move(base)) {}
  void add(std::string pointer, std::string message, std::string suggestion) override {
    ctx_.error(file_, base_ + pointer, std::move(message), std::move(suggestion));
    ++count;
  }
  int count = 0;

private:
  load_context& ctx_;
  std::size_t file_;
  std::string base_;
};

class builder {
public:
  builder(load_context& ctx, const suite_defaults& defaults, std::size_t file, std::size_t index)
      : ctx_(ctx), defaults_(defaults), file_(file), pointer_(child_pointer("/checks", index)),
        check_(ctx.files[file].doc["checks"][index]) {}

  std::optional<check_spec> run() {
    if (!check_.is_object()) {
      ctx_.error(file_, pointer_, "a check must be an object");
      return std::nullopt;
    }
    out_.pointer = pointer_;
    out_.options["expect"] = nlohmann::json::object();
    read_probe();
    for (const char* key : {"name", "target"})
      if (!check_.contains(key)) ctx_.error(file_, pointer_, "missing required key " + in_quotes(key));
    for (auto& [key, value] : check_.items()) {
      const std::string pointer = child_pointer(pointer_, key);
      if (key == "probe") continue;
      if (key == "expect") read_expect(value);
      else if (key == "target") read_target(value, pointer);
      else if (find_common_check_key(key)) take_common(key, value, file_, pointer);
      else if (prober_) take_option(key, value, file_, pointer);
    }
    apply_defaults();
    configure();
    return std::move(out_);
  }

private:
  void read_probe() {
    const auto it = check_.find("probe");
    const std::string pointer = pointer_ + "/probe";
    if (it == check_.end()) {
      ctx_.error(file_, pointer_, "missing required key \"probe\"", "one of: " + probe_list(ctx_.probes));
    } else if (!it->is_string()) {
      ctx_.error(file_, pointer, "must be a string: one of " + probe_list(ctx_.probes));
    } else if (!(prober_ = ctx_.probes.find(it->get<std::string>()))) {
      auto near = nearest(it->get<std::string>(), ctx_.probes.names());
      ctx_.error(file_, pointer, "unknown probe " + in_quotes(it->get<std::string>()),
                 near ? "did you mean " + in_quotes(*near) + "?" : "known probes: " + probe_list(ctx_.probes));
    } else {
      out_.prober = prober_;
    }
  }

  void read_target(const nlohmann::json& value, const std::string& pointer) {
    if (ctx_.files[file_].expansion_failed(pointer)) return;
    if (!value.is_string()) return ctx_.error(file_, pointer, "must be a string, not " + show_value(value, value));
    if (!prober_) return;
    target_problem problem;
    if (auto target = parse_target(value.get<std::string>(), prober_->target(), problem)) {
      out_.target = std::move(*target);
      return;
    }
    ctx_.error(file_, pointer,
               "must be " + problem.expected + ", not " + show_value(value, ctx_.raw_at(file_, pointer)),
               problem.suggestion);
  }

  // A common key, from the check itself or from `defaults` (then file/pointer say where).
  void take_common(const std::string& key, const nlohmann::json& value, std::size_t file, const std::string& pointer) {
    if (ctx_.files[file].expansion_failed(pointer)) return;
    nlohmann::json copy;
    auto problems = ctx_.problems_quoting_raw(file, pointer, value, copy, [&](nlohmann::json& v, const nlohmann::json& raw) {
      return check_common_key(key, v, raw);
    });
    for (auto& p : problems) ctx_.error(file, pointer + p.pointer, p.message, p.suggestion);
    if (!problems.empty()) return;
    if (key == "name") out_.name = copy.get<std::string>();
    else if (key == "description") out_.description = copy.get<std::string>();
    else if (key == "tags") out_.tags = copy.get<std::vector<std::string>>();
    else if (key == "needs") out_.needs = copy.get<std::vector<std::string>>();
    else if (key == "timeout") out_.timeout = *parse_duration(copy.get<std::string>());
    else if (key == "retries") out_.retries = copy.get<int>();
    else if (key == "resolver") out_.resolver.server = copy.get<std::string>();
    else if (key == "addresses") {
      const auto mode = copy.get<std::string>();
      out_.addresses = mode == "any" ? address_mode::any : mode == "first" ? address_mode::first : address_mode::all;
    } else if (key == "family") {
      const auto family = copy.get<std::string>();
      out_.family = family == "ipv4" ? address_family::ipv4 : family == "ipv6" ? address_family::ipv6 : address_family::any;
    }
  }

  // `value` checked against `spec`, each problem reported at its place: the
  // value as the check normalised it, and whether it passed.
  std::pair<nlohmann::json, bool> checked(const option_spec& spec, const std::string& key, const nlohmann::json& value,
                                          std::size_t file, const std::string& pointer) {
    const bool hide = ctx_.hides(key, value);
    nlohmann::json copy;
    const auto problems = ctx_.problems_quoting_raw(file, pointer, value, copy, [&](nlohmann::json& v, const nlohmann::json& raw) {
      return check_option(spec, v, raw, hide);
    });
    for (const auto& p : problems) ctx_.error(file, pointer + p.pointer, p.message, p.suggestion);
    options_ok_ = options_ok_ && problems.empty();
    return {std::move(copy), problems.empty()};
  }

  void take_option(const std::string& key, const nlohmann::json& value, std::size_t file, const std::string& pointer) {
    const option_spec* spec = find_spec(prober_->options().options, key);
    if (!spec) return unknown_key(key, pointer);
    if (ctx_.files[file].expansion_failed(pointer)) {
      options_ok_ = false;
      return;
    }
    auto [copy, valid] = checked(*spec, key, value, file, pointer);
    if (spec->kind == option_kind::file && valid) {
      const std::filesystem::path written(copy.get<std::string>());
      const auto resolved = written.is_relative() ? (ctx_.files[file].dir / written).lexically_normal() : written;
      copy = resolved.string();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(resolved, ec)) {
        ctx_.error(file, pointer, "no such file: \"" + resolved.string() + "\"",
                   written.is_relative() ? "a relative path is relative to the suite file's directory" : "");
        options_ok_ = false;
      }
    }
    out_.options[key] = std::move(copy);
  }

  void unknown_key(const std::string& key, const std::string& pointer) {
    options_ok_ = false;
    auto known = key_names(common_check_keys());
    for (const auto& spec : prober_->options().options) known.push_back(spec.key);
    std::string suggestion;
    if (auto near = nearest(key, known)) suggestion = "did you mean " + in_quotes(*near) + "?";
    else if (find_spec(prober_->options().expect, key)) suggestion = "it is an expectation: move it into \"expect\"";
    else if (auto owner = probe_knowing(key)) suggestion = "it is an option of the " + std::string(*owner) + " probe";
    else if (prober_->options().options.empty()) suggestion = "the " + std::string(prober_->name()) + " probe has no options of its own";
    else suggestion = "the " + std::string(prober_->name()) + " probe's options are " + list(prober_->options().options);
    ctx_.error(file_, pointer, "unknown key", suggestion, true);
  }

  std::optional<std::string_view> probe_knowing(std::string_view key) const {
    for (const probe* p : ctx_.probes.all())
      if (find_spec(p->options().options, key)) return p->name();
    return std::nullopt;
  }

  void read_expect(const nlohmann::json& value) {
    const std::string pointer = pointer_ + "/expect";
    if (!value.is_object()) {
      options_ok_ = false;
      return ctx_.error(file_, pointer, "must be an object, not " + show_value(value, value));
    }
    if (!prober_) return;
    for (const auto& [key, inner] : value.items()) take_expect(key, inner, file_, child_pointer(pointer, key));
  }

  void take_expect(const std::string& key, const nlohmann::json& value, std::size_t file, const std::string& pointer) {
    const auto& specs = prober_->options().expect;
    const option_spec* spec = find_spec(specs, key);
    if (!spec) {
      options_ok_ = false;
      std::vector<std::string_view> known;
      for (const auto& s : specs) known.push_back(s.key);
      auto near = nearest(key, known);
      const std::string name(prober_->name());
      return ctx_.error(file_, pointer, "unknown key",
                        near           ? "did you mean " + in_quotes(*near) + "?"
                        : specs.empty() ? "the " + name + " probe has no expectations"
                                        : "the " + name + " probe's expectations are " + list(specs),
                        true);
    }
    if (ctx_.files[file].expansion_failed(pointer)) {
      options_ok_ = false;
      return;
    }
    out_.options["expect"][key] = checked(*spec, key, value, file, pointer).first;
  }

  // A default applies when the check does not set the key itself and its probe knows it.
  void apply_defaults() {
    for (const auto& [key, d] : defaults_.options) {
      if (check_.contains(key)) continue;
      if (find_common_check_key(key)) take_common(key, d.value, d.file, d.pointer);
      else if (prober_ && find_spec(prober_->options().options, key)) take_option(key, d.value, d.file, d.pointer);
    }
    const auto own = check_.find("expect");
    if (!prober_ || (own != check_.end() && !own->is_object())) return;
    for (const auto& [key, d] : defaults_.expect) {
      if (own != check_.end() && own->contains(key)) continue;
      if (find_spec(prober_->options().expect, key)) take_expect(key, d.value, d.file, d.pointer);
    }
  }

  // The probe's configure() gets options whose keys and types are right, as promised.
  void configure() {
    if (!prober_ || !options_ok_) return;
    prefixed_errors errors(ctx_, file_, pointer_);
    try {
      out_.config = prober_->configure(out_.options, errors);
    } catch (const std::exception& e) {
      ctx_.error(file_, pointer_, "the " + std::string(prober_->name()) + " probe failed reading its options: " + e.what());
      return;
    }
    if (!out_.config && errors.count == 0)
      ctx_.error(file_, pointer_, "the " + std::string(prober_->name()) + " probe rejected its options without a reason");
  }

  load_context& ctx_;
  const suite_defaults& defaults_;
  std::size_t file_;
  std::string pointer_;
  nlohmann::json& check_;
  const probe* prober_ = nullptr;
  bool options_ok_ = true;
  check_spec out_;
};

} // namespace

std::optional<check_spec> build_check(load_context& ctx, const suite_defaults& defaults, std::size_t file,
                                      std::size_t index) {
  return builder(ctx, defaults, file, index).run();
}

} // namespace edgeprobe
