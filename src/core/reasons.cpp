#include "core/reasons.hpp"

#include <array>

namespace edgeprobe {

namespace {

struct reason_row {
  reason id;
  std::string_view code;
  std::string_view hint;
};

constexpr std::array rows{
#define EDGEPROBE_REASON_ROW(id, code, hint) reason_row{reason::id, code, hint},
    EDGEPROBE_REASONS(EDGEPROBE_REASON_ROW)
#undef EDGEPROBE_REASON_ROW
};

constexpr auto ids = [] {
  std::array<reason, rows.size() - 1> out{};
  for (std::size_t i = 1; i < rows.size(); ++i) out[i - 1] = rows[i].id;
  return out;
}();

} // namespace

std::string_view code(reason r) { return rows[static_cast<std::size_t>(r)].code; }
std::string_view hint(reason r) { return rows[static_cast<std::size_t>(r)].hint; }

std::optional<reason> reason_from_code(std::string_view c) {
  for (const auto& row : rows)
    if (!c.empty() && row.code == c) return row.id;
  return std::nullopt;
}

std::span<const reason> all_reasons() { return ids; }

} // namespace edgeprobe
