// suite_schema(): the JSON Schema (draft 2020-12) for suite files, generated from
// the same key lists, option specs and patterns the loader checks against.
#include "core/suite_defaults.hpp"
#include "core/suite_keys.hpp"
#include "core/suite_loader.hpp"
#include "core/syntax.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

using nlohmann::json;

json string_type() { return {{"type", "string"}}; }
json list_of_strings() { return {{"type", "array"}, {"items", string_type()}}; }

// A string in a grammar — or any string with "${", which a variable may expand
// into something valid (the loader checks the expansion).
json formatted(const syntax::pattern& pattern) {
  return {{"anyOf", json::array({{{"type", "string"},
                                  {"pattern", syntax::anchored(pattern)},
                                  {"maxLength", syntax::max_length}},
                                 {{"type", "string"}, {"pattern", "\\$\\{"}}})}};
}

json port_number() { return {{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}}; }

json hex_object() {
  return {{"type", "object"},
          {"required", {"hex"}},
          {"properties", {{"hex", formatted(syntax::hex_bytes())}}},
          {"additionalProperties", false}};
}

// The value rules of one option kind (without its description).
json kind_schema(const option_spec& spec) {
  switch (spec.kind) {
  case option_kind::string: return string_type();
  case option_kind::file: return {{"type", "string"}, {"minLength", 1}};
  case option_kind::boolean: return {{"type", "boolean"}};
  case option_kind::integer: {
    json out = {{"type", "integer"}};
    if (spec.min != 0 || spec.max != 0) {
      out["minimum"] = spec.min;
      out["maximum"] = spec.max;
    }
    return out;
  }
  case option_kind::duration: return formatted(syntax::duration());
  case option_kind::choice: {
    json names = json::array();
    for (auto c : spec.choices) names.push_back(std::string(c));
    return {{"anyOf", json::array({{{"enum", names}}, {{"type", "string"}, {"pattern", "\\$\\{"}}})}};
  }
  case option_kind::string_list: return list_of_strings();
  case option_kind::port_set:
    return {{"anyOf", json::array({port_number(),
                                   {{"type", "array"}, {"minItems", 1}, {"items", port_number()}},
                                   formatted(syntax::port_range())})}};
  case option_kind::bytes:
    return {{"type", "object"},
            {"minProperties", 1},
            {"maxProperties", 1},
            {"properties", {{"text", string_type()}, {"hex", formatted(syntax::hex_bytes())}}},
            {"additionalProperties", false}};
  case option_kind::pattern: return {{"anyOf", json::array({string_type(), hex_object()})}};
  case option_kind::string_map: return {{"type", "object"}, {"additionalProperties", string_type()}};
  case option_kind::address: return formatted(syntax::ip_address());
  case option_kind::status_set: {
    const json code = {{"type", "integer"}, {"minimum", 100}, {"maximum", 599}};
    const json status_class = {{"type", "string"}, {"pattern", "^[1-5]xx$"}};
    return {{"type", "array"}, {"minItems", 1}, {"items", {{"anyOf", json::array({code, status_class})}}}};
  }
  }
  return json::object();
}

json described(json schema, std::string_view help) {
  if (!help.empty()) schema["description"] = std::string(help);
  return schema;
}

// The common check keys' rules; `target` only as a string (each probe narrows it).
json common_key_schema(const suite_key& key, const registry& probes) {
  const auto name = key.spec.key;
  json out;
  if (name == "probe") {
    json names = json::array();
    for (auto n : probes.names()) names.push_back(std::string(n));
    out = {{"enum", names}};
  } else if (name == "name") out = {{"type", "string"}, {"minLength", 1}};
  else if (name == "timeout") out = formatted(syntax::positive_duration());
  else if (name == "resolver") out = formatted(syntax::resolver());
  else if (name == "expect") out = {{"type", "object"}};
  else out = kind_schema(key.spec);
  return described(std::move(out), key.spec.help);
}

// One schema for a key several probes know: theirs if they agree, else any of them.
json union_schema(const std::vector<const option_spec*>& specs) {
  json variants = json::array();
  for (const option_spec* spec : specs) {
    json s = kind_schema(*spec);
    if (std::find(variants.begin(), variants.end(), s) == variants.end()) variants.push_back(std::move(s));
  }
  json out = variants.size() == 1 ? variants[0] : json{{"anyOf", variants}};
  return described(std::move(out), specs.front()->help);
}

json object_of(json properties) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
}

json probe_branch(const probe& p) {
  json properties = json::object();
  for (const auto& key : common_check_keys()) properties[std::string(key.spec.key)] = true;
  properties["target"] = formatted(syntax::target(p.target()));
  json expect = json::object();
  for (const auto& spec : p.options().expect) expect[std::string(spec.key)] = described(kind_schema(spec), spec.help);
  properties["expect"] = object_of(std::move(expect));
  for (const auto& spec : p.options().options)
    if (!find_common_check_key(spec.key)) properties[std::string(spec.key)] = described(kind_schema(spec), spec.help);
  return {{"if", {{"required", {"probe"}}, {"properties", {{"probe", {{"const", std::string(p.name())}}}}}}},
          {"then", object_of(std::move(properties))}};
}

json check_schema(const registry& probes) {
  json properties = json::object();
  json required = json::array();
  for (const auto& key : common_check_keys()) {
    properties[std::string(key.spec.key)] = common_key_schema(key, probes);
    if (key.required) required.push_back(std::string(key.spec.key));
  }
  json branches = json::array();
  for (const probe* p : probes.all()) branches.push_back(probe_branch(*p));
  return {{"type", "object"}, {"required", required}, {"properties", properties}, {"allOf", branches}};
}

json defaults_schema(const registry& probes) {
  json properties = json::object();
  for (const auto& key : common_check_keys())
    if (key.in_defaults && key.spec.key != "expect")
      properties[std::string(key.spec.key)] = common_key_schema(key, probes);
  for (auto key : all_probe_keys(probes, false))
    if (!find_common_check_key(key)) properties[std::string(key)] = union_schema(specs_for(probes, key, false));
  json expect = json::object();
  for (auto key : all_probe_keys(probes, true)) expect[std::string(key)] = union_schema(specs_for(probes, key, true));
  properties["expect"] = object_of(std::move(expect));
  return described(object_of(std::move(properties)),
                   "options every check gets unless it sets them itself (when its probe knows them)");
}

} // namespace

nlohmann::json suite_schema(const registry& probes) {
  json properties = json::object();
  for (const auto& key : top_level_keys()) {
    const std::string name(key.spec.key);
    json s;
    if (name == "suite") s = formatted(syntax::suite_name());
    else if (name == "vars")
      s = {{"type", "object"},
           {"propertyNames", {{"pattern", syntax::anchored(syntax::var_name())}}},
           {"additionalProperties", {{"type", json::array({"string", "null"})}}}};
    else if (name == "include") s = list_of_strings();
    else if (name == "defaults") s = {{"$ref", "#/$defs/defaults"}};
    else if (name == "checks") s = {{"type", "array"}, {"items", {{"$ref", "#/$defs/check"}}}};
    else s = string_type();
    properties[name] = described(std::move(s), key.spec.help);
  }
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "edgeprobe suite"},
          {"description", "A suite of edgeprobe checks (see docs/suite-format.md). Generated by `edgeprobe schema`."},
          {"type", "object"},
          {"required", {"suite"}},
          // `checks` may come from included files instead.
          {"anyOf", json::array({{{"required", {"checks"}}}, {{"required", {"include"}}}})},
          {"properties", properties},
          {"additionalProperties", false},
          {"$defs", {{"check", check_schema(probes)}, {"defaults", defaults_schema(probes)}}}};
}

} // namespace edgeprobe
