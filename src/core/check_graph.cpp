#include "core/check_graph.hpp"

#include "core/option_check.hpp"
#include "core/suggest.hpp"

#include <map>
#include <utility>

namespace edgeprobe {

namespace {

struct edge {
  std::size_t to;
  std::size_t needs_index; // which entry of `needs` makes it, for the pointer
};

// Depth-first search; a need that leads back to a check still on the path closes
// a cycle, reported at that need with the whole path.
void report_cycles(load_context& ctx, const std::vector<placed_check>& checks,
                   const std::vector<std::vector<edge>>& edges) {
  enum class mark { fresh, on_path, done };
  std::vector<mark> marks(checks.size(), mark::fresh);
  std::vector<std::pair<std::size_t, std::size_t>> path; // (check, next edge to follow)
  for (std::size_t start = 0; start < checks.size(); ++start) {
    if (marks[start] != mark::fresh) continue;
    path.push_back({start, 0});
    marks[start] = mark::on_path;
    while (!path.empty()) {
      auto& [node, next] = path.back();
      if (next == edges[node].size()) {
        marks[node] = mark::done;
        path.pop_back();
        continue;
      }
      const edge e = edges[node][next++];
      if (marks[e.to] == mark::fresh) {
        marks[e.to] = mark::on_path;
        path.push_back({e.to, 0});
      } else if (marks[e.to] == mark::on_path) {
        std::string cycle;
        bool in_cycle = false;
        for (const auto& [on_path, unused] : path) {
          in_cycle = in_cycle || on_path == e.to;
          if (in_cycle) cycle += in_quotes(checks[on_path].spec->name) + " -> ";
        }
        const auto& from = checks[node];
        ctx.error(from.file, child_pointer(from.spec->pointer + "/needs", e.needs_index),
                  "needs cycle: " + cycle + in_quotes(checks[e.to].spec->name),
                  "a check cannot wait, directly or not, for itself");
      }
    }
  }
}

} // namespace

void check_names_and_needs(load_context& ctx, const std::vector<placed_check>& all) {
  std::vector<placed_check> checks;
  for (const auto& c : all)
    if (!c.spec->name.empty()) checks.push_back(c);

  std::map<std::string, std::size_t, std::less<>> by_name;
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    auto [it, fresh] = by_name.emplace(c.spec->name, i);
    if (fresh) {
      names.push_back(c.spec->name);
      continue;
    }
    const auto& first = checks[it->second];
    const std::string where = (first.file == c.file ? "" : ctx.files[first.file].label + " ") + first.spec->pointer;
    ctx.error(c.file, c.spec->pointer + "/name", "another check is already named " + in_quotes(c.spec->name) + " (" + where + ")",
              "check names must be unique within the suite");
  }

  std::vector<std::vector<edge>> edges(checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    for (std::size_t k = 0; k < c.spec->needs.size(); ++k) {
      const auto& need = c.spec->needs[k];
      if (auto it = by_name.find(need); it != by_name.end()) {
        edges[i].push_back({it->second, k});
        continue;
      }
      auto near = nearest(need, names);
      ctx.error(c.file, child_pointer(c.spec->pointer + "/needs", k), "no check is named " + in_quotes(need),
                near ? "did you mean " + in_quotes(*near) + "?" : "");
    }
  }
  report_cycles(ctx, checks, edges);
}

} // namespace edgeprobe
