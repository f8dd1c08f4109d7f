// Evidence (a result's `details`) as indented "key: value" lines for people.
#pragma once
#include <nlohmann/json.hpp>

#include <ostream>

namespace edgeprobe {

void write_evidence(const nlohmann::json& details, std::size_t indent, std::ostream& out);

} // namespace edgeprobe
