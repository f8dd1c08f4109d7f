// The output formats, in one explicit list (Catch2's reporter registry shape).
#pragma once
#include "core/result.hpp"

#include <ostream>
#include <span>
#include <string_view>

namespace edgeprobe {

struct report_options {
  bool color = false;   // ANSI colour (only ever on a TTY without NO_COLOR)
  bool verbose = false; // -v: evidence under every check
};

struct reporter {
  std::string_view name;
  std::string_view summary;
  void (*write)(const run_result& run, std::ostream& out, const report_options& options);
};

std::span<const reporter> reporters();
const reporter* find_reporter(std::string_view name);

} // namespace edgeprobe
