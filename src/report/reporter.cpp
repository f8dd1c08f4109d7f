#include "report/reporter.hpp"

#include "report/human_report.hpp"
#include "report/json_report.hpp"

#include <array>

namespace edgeprobe {

namespace {
const std::array<reporter, 2> builtin{{
    {"human", "for people at a terminal: one line per check, reasons and hints under failures", write_human_report},
    {"json", "the result document (results.md) for machines and archives", write_json_report},
}};
} // namespace

std::span<const reporter> reporters() { return builtin; }

const reporter* find_reporter(std::string_view name) {
  for (const auto& r : builtin)
    if (r.name == name) return &r;
  return nullptr;
}

} // namespace edgeprobe
