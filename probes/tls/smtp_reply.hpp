// SMTP replies (RFC 5321 4.2): "250-first line", …, "250 last line". Pure, and
// fuzzed: the bytes come from whatever listens on the port.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

struct smtp_reply {
  enum class state { incomplete, complete, malformed } parsed = state::incomplete;
  int code = 0;                   // 220, 250, …
  std::vector<std::string> lines; // the text after "250-" / "250 "
  std::size_t consumed = 0;       // bytes of the buffer the reply took
};

constexpr std::size_t max_smtp_reply = 65536;

// Reads the first reply in `buffer`; `incomplete` until its last line ended.
smtp_reply parse_smtp_reply(std::string_view buffer);

// Whether an EHLO reply lists the STARTTLS extension.
bool offers_starttls(const smtp_reply& ehlo);

} // namespace edgeprobe
