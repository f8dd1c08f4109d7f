// The reason table in docs/results.md and the closed list in src/core/reason_list.hpp
// agree: every code is documented, and the table names no code that does not exist.
#include "core/reasons.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

TEST_CASE("every reason code is in docs/results.md's table, and the table has no others") {
  std::ifstream in(std::string(EDGEPROBE_SOURCE_DIR) + "/docs/results.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();

  // Table rows whose first cell is a dotted code: "| `tcp.refused` | ... |".
  std::set<std::string> documented;
  const std::regex row(R"(\| `([a-z_]+\.[a-z_.]+)` \|.*)");
  std::smatch m;
  for (std::string line; std::getline(text, line);)
    if (std::regex_match(line, m, row)) documented.insert(m[1].str());

  std::set<std::string> listed;
  for (const auto r : edgeprobe::all_reasons()) listed.emplace(edgeprobe::code(r));
  REQUIRE(listed.size() > 20);
  for (const auto& code : listed) CHECK_MESSAGE(documented.count(code) == 1, code, " is not in docs/results.md's table");
  for (const auto& code : documented) CHECK_MESSAGE(listed.count(code) == 1, code, " is in docs/results.md but no such code exists");
}
