// Declarative description of a probe's options and expectations. The suite loader
// validates checks against it, `edgeprobe probes NAME` prints it, and the JSON
// Schema is generated from it — one description, three uses, never out of step.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace edgeprobe {

enum class option_kind {
  string,       // any string
  boolean,
  integer,      // within [min, max]
  duration,     // "250ms", "5s" (see duration.hpp)
  choice,       // one of `choices`
  string_list,  // array of strings
  port_set,     // 1..65535, a list of those, or a range string "2280-2290"
  bytes,        // {"text": "..."} or {"hex": "0a1b..."}: exactly those bytes
  pattern,      // a regex string, or {"hex": "..."} for an exact byte prefix
  string_map,   // object of string → string
  address,      // an IP literal (v4 or v6)
  file,         // a file's path; a relative one is relative to the suite file that wrote it
  status_set,   // HTTP statuses: a list of codes (100-599) and classes ("2xx")
};

struct option_spec {
  std::string_view key;
  option_kind kind;
  std::string_view help;
  std::vector<std::string_view> choices = {}; // option_kind::choice
  std::int64_t min = 0;                       // option_kind::integer
  std::int64_t max = 0;
};

// `options` sit next to `target` in a check; `expect` inside its "expect" object.
struct probe_options {
  std::vector<option_spec> options;
  std::vector<option_spec> expect;
};

} // namespace edgeprobe
