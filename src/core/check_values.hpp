// Reading a check's values in a probe's configure(): the loader has already
// checked every key against the probe's option specs, so what remains is
// "present or not" and the default for an absent key.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace edgeprobe {

// The check's "expect" object, or an empty one.
inline nlohmann::json expect_of(const nlohmann::json& check) {
  return check.contains("expect") && check["expect"].is_object() ? check["expect"] : nlohmann::json::object();
}

// A string value, or "" when the key is absent.
inline std::string string_at(const nlohmann::json& from, const char* key) {
  return from.contains(key) && from[key].is_string() ? from[key].get<std::string>() : std::string{};
}

// A string value, or nullopt when the key is absent ("" is a value: `sni: ""`).
inline std::optional<std::string> optional_string_at(const nlohmann::json& from, const char* key) {
  if (from.contains(key) && from[key].is_string()) return from[key].get<std::string>();
  return std::nullopt;
}

// A boolean value, or `fallback` when the key is absent.
inline bool bool_at(const nlohmann::json& from, const char* key, bool fallback) {
  return from.contains(key) && from[key].is_boolean() ? from[key].get<bool>() : fallback;
}

} // namespace edgeprobe
