// A SQL Server stand-in for the far end of a Browser's answer: on each TCP
// connection it reads one TDS PRELOGIN and answers it the way SQL Server does —
// its version, encryption off, and whether the instance the client named is
// this one — then closes. Enough for the sqlbrowser probe's follow-on connect
// and PRELOGIN, for `demo`, `listen` and the tests.
#pragma once
#include "net/tcp_responder.hpp"
#include "probes/sqlbrowser/prelogin.hpp"

#include <string>

namespace edgeprobe {

struct sql_prelogin_server {
  tds::version_info version{15, 0, 2000, 0}; // SQL Server 2019 RTM
  std::string instance;                      // "": any instance name the client gives is accepted
};

// The pure part: the answer to one client PRELOGIN packet; nullopt when it is not one.
std::optional<std::vector<std::uint8_t>> sql_prelogin_answer(std::span<const std::uint8_t> packet,
                                                             const sql_prelogin_server& server);

// tcp_responder options that serve connections as sql_prelogin_server.
tcp_responder_options sql_prelogin_responder_options(sql_prelogin_server server);

} // namespace edgeprobe
