// One c-ares channel driven by Asio: its sockets are watched with async_wait and its
// retransmission timer is an Asio timer, so lookups never block the io thread.
#pragma once
#include "core/check.hpp"
#include "core/clock.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

// What c-ares reported for one request.
struct cares_reply {
  int status = 0;                  // ARES_SUCCESS, ARES_ENOTFOUND, ARES_ETIMEOUT, ...
  std::vector<std::uint8_t> bytes; // the response message (empty unless a response arrived)
  std::string server;              // "ip:port" of the server whose socket delivered it, when known
  // With a response: when its query last left, and when the response reached
  // this host (the kernel's receive stamp over UDP, the read over TCP).
  std::optional<clock::time_point> sent, arrived;
};

// One request in flight. Any number of coroutines on the channel's thread may
// wait for it: identical lookups share one query.
struct cares_request;
// True once c-ares has completed the request (answered, failed or given up).
bool completed(const cares_request& request);

class cares_channel {
public:
  // Throws std::invalid_argument for a server that is not "system" or IP[:port].
  cares_channel(net::any_io_executor executor, const resolver_spec& spec);
  ~cares_channel();
  cares_channel(const cares_channel&) = delete;
  cares_channel& operator=(const cares_channel&) = delete;

  // Sends `query` (a whole DNS message) as it is; the answer's rcode is not interpreted.
  std::shared_ptr<cares_request> send(const std::vector<std::uint8_t>& query);

  // A query with resolv.conf's search rules (system resolver only); c-ares maps the
  // rcode to its status (ARES_ENOTFOUND for NXDOMAIN, ARES_ENODATA for no records).
  std::shared_ptr<cares_request> search(const std::string& name, int qtype);

  // The request's reply; nullopt when the deadline passed first (the request is
  // then abandoned by this waiter, not cancelled: others may still wait for it).
  net::awaitable<std::optional<cares_reply>> wait(std::shared_ptr<cares_request> request, clock::time_point deadline);

  // Requests sent and not yet answered or given up.
  std::size_t in_flight() const;

  // "127.0.0.1:5353", "system (resolv.conf: 10.0.0.2, 10.0.0.3)", with " over tcp" when so.
  const std::string& description() const;

private:
  struct core;
  std::shared_ptr<core> core_;
};

} // namespace edgeprobe
