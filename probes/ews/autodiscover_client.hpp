// Autodiscover as Outlook runs it ([MS-OXDSCLI] 3.1.5): the candidate URLs for
// the mailbox's domain, in the documented order, each tried until one answers
// with settings; redirectAddr / redirectUrl followed (at most 10 times). Every
// candidate goes into the evidence with its own result and reason, because
// the one that failed for a reason is the one an engineer must fix.
#pragma once
#include "core/probe.hpp"
#include "probes/ews/options.hpp"

#include <string>

namespace edgeprobe {

struct autodiscover_result {
  std::string ews_url;                                 // "" when none was found
  std::string display_name;
  nlohmann::json candidates = nlohmann::json::array(); // in the order tried
  std::vector<std::string> auth_schemes;               // the last 401's, when credentials were missing or refused
};

constexpr int max_autodiscover_redirects = 10;

// Raises autodiscover.failed (every candidate failed; the first one's reason is
// named) or autodiscover.no_ews_url on `v`; passes otherwise.
net::awaitable<autodiscover_result> run_autodiscover(probe_context& ctx, const ews_config& cfg, verdict& v);

} // namespace edgeprobe
