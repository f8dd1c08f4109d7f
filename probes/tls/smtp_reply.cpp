#include "probes/tls/smtp_reply.hpp"

#include "wire/ascii.hpp"

#include <algorithm>

namespace edgeprobe {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether `start` (the first bytes of a line, complete or not) can begin a
// reply line: "DDD" then '-' (more lines follow), ' ' or the line's end (the
// last). Checked on partial lines too, so a TLS record or an HTTP answer is
// refused at once instead of waited on.
bool could_start_reply_line(std::string_view start, bool line_complete) {
  for (std::size_t i = 0; i < std::min<std::size_t>(3, start.size()); ++i)
    if (!is_digit(start[i])) return false;
  if (start.size() > 3) return start[3] == '-' || start[3] == ' ';
  return !line_complete || start.size() == 3;
}

} // namespace

smtp_reply parse_smtp_reply(std::string_view buffer) {
  smtp_reply r;
  std::size_t at = 0;
  for (;;) {
    const auto end = buffer.find('\n', at);
    if (end == std::string_view::npos) {
      if (buffer.size() > max_smtp_reply || !could_start_reply_line(buffer.substr(at, 4), false))
        r.parsed = smtp_reply::state::malformed;
      return r;
    }
    std::string_view line = buffer.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!could_start_reply_line(line, true)) {
      r.parsed = smtp_reply::state::malformed;
      return r;
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (r.code != 0 && code != r.code) {
      r.parsed = smtp_reply::state::malformed;
      return r;
    }
    r.code = code;
    r.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
    at = end + 1;
    if (line.size() == 3 || line[3] == ' ') {
      r.parsed = smtp_reply::state::complete;
      r.consumed = at;
      return r;
    }
    if (at > max_smtp_reply) {
      r.parsed = smtp_reply::state::malformed;
      return r;
    }
  }
}

bool offers_starttls(const smtp_reply& ehlo) {
  return std::any_of(ehlo.lines.begin(), ehlo.lines.end(), [](const std::string& line) {
    return iequals_ascii(std::string_view(line).substr(0, line.find(' ')), "STARTTLS");
  });
}

} // namespace edgeprobe
