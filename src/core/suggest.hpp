// "Did you mean …": the nearest known word to a misspelt one.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate, if it is close enough to be a plausible typo.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string_view>& candidates);

} // namespace edgeprobe
