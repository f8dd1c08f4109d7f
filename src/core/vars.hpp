// Variable expansion in suite strings: ${name} from `vars` (which may refer to
// each other), ${env:NAME}, ${file:path}, and $${ for a literal "${". Values read
// from the environment or from files are secrets: they are added to a secret_set
// and the expansion that used them is marked secret.
#pragma once
#include "core/secrets.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeprobe {

class variables {
public:
  // Messages name the variable, environment variable or file, never a value.
  struct problem {
    std::string message;
    std::string suggestion;
  };
  struct expansion {
    std::string value;
    bool ok = true;      // false: a problem, here or in a variable it uses
    bool secret = false; // part of the value came from ${env:} or ${file:}
    std::vector<problem> problems; // only the ones found in this text itself
  };

  // A later definition of the same name replaces the earlier one. `dir` is where
  // ${file:} paths in `raw` are relative to.
  void define(const std::string& name, std::string raw, std::filesystem::path dir);
  // A variable with no default (`"name": null`): the command line (--var) or
  // serve's config must give it, or resolve() reports it.
  void require(const std::string& name);
  // A value used as is, never expanded (load_options::vars): overrides define().
  void set_literal(const std::string& name, std::string value);

  // Expands every definition once, in definition order. Returns each variable
  // whose own text has problems, with them; a variable that merely uses a broken
  // one is broken silently, so each mistake is reported once, where it is.
  std::vector<std::pair<std::string, std::vector<problem>>> resolve(secret_set& secrets);

  // Expands `text` with the variables resolve() resolved.
  expansion expand(std::string_view text, const std::filesystem::path& dir, secret_set& secrets) const;

  std::vector<std::string_view> names() const;

private:
  enum class state { pending, expanding, done, broken };
  struct variable {
    std::string raw;
    std::filesystem::path dir;
    bool literal = false;
    bool required = false; // no default: only set_literal() gives it a value
    state at = state::pending;
    std::string value;
    bool secret = false;
  };

  using report = std::vector<std::pair<std::string, std::vector<problem>>>;
  void resolve_one(variable& var, const std::string& name, secret_set& secrets, report& out);
  // `lookup(name)` returns the variable (nullptr when undefined); while resolving,
  // it first resolves a variable met before its turn.
  template <class Lookup>
  expansion expand_text(std::string_view text, const std::filesystem::path& dir, secret_set& secrets,
                        Lookup&& lookup) const;

  std::map<std::string, variable, std::less<>> vars_;
  std::vector<std::string> order_;
  std::vector<std::string> expanding_; // the chain being resolved, to name a cycle
};

} // namespace edgeprobe
