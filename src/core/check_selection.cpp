#include "core/check_selection.hpp"

#include "core/suggest.hpp"

#include <algorithm>
#include <map>

namespace edgeprobe {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// At most five, so a suite of 10,000 checks does not fill the terminal.
std::string quoted_list(const std::vector<std::string>& words) {
  constexpr std::size_t shown = 5;
  std::string out;
  for (std::size_t i = 0; i < words.size() && i < shown; ++i) out += (out.empty() ? "\"" : ", \"") + words[i] + "\"";
  if (words.size() > shown) out += ", … (" + std::to_string(words.size()) + " in all)";
  return out;
}

} // namespace

std::optional<selection_problem> select_checks(suite& s, const check_selection& selection) {
  if (selection.everything()) return std::nullopt;
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < s.checks.size(); ++i) index[s.checks[i].name] = i;

  for (const auto& name : selection.only) {
    if (index.count(name)) continue;
    std::vector<std::string_view> candidates;
    std::vector<std::string> names;
    for (const auto& c : s.checks) {
      candidates.push_back(c.name);
      names.push_back(c.name);
    }
    auto near = nearest(name, candidates);
    return selection_problem{"--only \"" + name + "\": the suite has no check of that name",
                             near ? "did you mean \"" + *near + "\"?" : "its checks: " + quoted_list(names)};
  }

  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < s.checks.size(); ++i) {
    const auto& c = s.checks[i];
    const bool by_name = selection.only.empty() || contains(selection.only, c.name);
    const bool by_tag = selection.tags.empty() ||
                        std::any_of(c.tags.begin(), c.tags.end(), [&](auto& t) { return contains(selection.tags, t); });
    if (by_name && by_tag) todo.push_back(i);
  }
  if (todo.empty()) {
    std::string what = selection.only.empty() ? "--tags " + quoted_list(selection.tags)
                                              : "--only " + quoted_list(selection.only) + " with --tags " +
                                                    quoted_list(selection.tags);
    std::vector<std::string> known;
    for (const auto& c : s.checks)
      for (const auto& t : c.tags)
        if (!contains(known, t)) known.push_back(t);
    return selection_problem{what + " selects no check: nothing would be checked",
                             known.empty() ? "the suite's checks have no tags"
                                           : "the suite's tags: " + quoted_list(known)};
  }

  // What a selected check needs runs too, or it could not.
  std::vector<bool> selected(s.checks.size(), false);
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    if (selected[i]) continue;
    selected[i] = true;
    for (const auto& need : s.checks[i].needs)
      if (auto it = index.find(need); it != index.end()) todo.push_back(it->second);
  }
  std::vector<check_spec> kept;
  for (std::size_t i = 0; i < s.checks.size(); ++i)
    if (selected[i]) kept.push_back(std::move(s.checks[i]));
  s.checks = std::move(kept);
  return std::nullopt;
}

} // namespace edgeprobe
