// A result's details.problems for people at a terminal: one line per finding
// (status, reason code, the address it was found at), its message under it.
#pragma once
#include <nlohmann/json.hpp>

#include <ostream>

namespace edgeprobe {

// Writes nothing when `problems` is not a non-empty list.
void write_problems_text(const nlohmann::json& problems, std::size_t indent, std::ostream& out);

} // namespace edgeprobe
