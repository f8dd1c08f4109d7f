// Reason codes: the stable, machine-readable "why" of every non-pass result.
#pragma once
#include "core/reason_list.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace edgeprobe {

enum class reason {
#define EDGEPROBE_REASON_ENUM(id, code, hint) id,
  EDGEPROBE_REASONS(EDGEPROBE_REASON_ENUM)
#undef EDGEPROBE_REASON_ENUM
};

std::string_view code(reason r);   // "tcp.refused"; empty for reason::none
std::string_view hint(reason r);   // what to check next
std::optional<reason> reason_from_code(std::string_view code);
std::span<const reason> all_reasons(); // every code except none, in list order

} // namespace edgeprobe
