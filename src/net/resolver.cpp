#include "net/resolver.hpp"

#include "net/cares_channel.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <ares.h>
#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

namespace edgeprobe {

namespace {

constexpr int type_a = 1, type_aaaa = 28;

std::string elapsed_ms(clock::time_point since) {
  return std::to_string(std::lround(to_ms(clock::now() - since))) + " ms";
}

// One family's outcome within lookup_host.
struct family_result {
  std::vector<net::ip::address> addresses;
  reason why = reason::none;
  std::string message;
};

family_result addresses_from(const cares_reply& reply, int qtype) {
  family_result out;
  constexpr int most = 64;
  const auto* bytes = reply.bytes.data();
  const int length = static_cast<int>(reply.bytes.size());
  int count = most;
  if (qtype == type_a) {
    ares_addrttl found[most];
    if (ares_parse_a_reply(bytes, length, nullptr, found, &count) == ARES_SUCCESS)
      for (int i = 0; i < count; ++i) out.addresses.push_back(net::ip::address_v4(ntohl(found[i].ipaddr.s_addr)));
  } else {
    ares_addr6ttl found[most];
    if (ares_parse_aaaa_reply(bytes, length, nullptr, found, &count) == ARES_SUCCESS)
      for (int i = 0; i < count; ++i) {
        net::ip::address_v6::bytes_type v6;
        std::copy(std::begin(found[i].ip6addr._S6_un._S6_u8), std::end(found[i].ip6addr._S6_un._S6_u8), v6.begin());
        out.addresses.push_back(net::ip::address_v6(v6));
      }
  }
  return out;
}

// c-ares statuses as reason codes, with a sentence naming the name, type and server.
family_result classify(const std::optional<cares_reply>& reply, const std::string& what, const std::string& server,
                       clock::time_point started) {
  family_result out;
  if (!reply) {
    out.why = reason::dns_timeout;
    out.message = "no answer for " + what + " from " + server + " within the deadline (" + elapsed_ms(started) + ")";
    return out;
  }
  switch (reply->status) {
  case ARES_SUCCESS: break;
  case ARES_ENOTFOUND:
    out.why = reason::dns_nxdomain;
    out.message = server + " answered NXDOMAIN for " + what + ": the name does not exist";
    break;
  case ARES_ENODATA:
    out.why = reason::dns_nodata;
    out.message = server + " answered " + what + " with no records of that type (NODATA)";
    break;
  case ARES_ESERVFAIL:
    out.why = reason::dns_servfail;
    out.message = server + " answered SERVFAIL for " + what;
    break;
  case ARES_EREFUSED:
    out.why = reason::dns_refused;
    out.message = server + " answered REFUSED for " + what;
    break;
  case ARES_ETIMEOUT:
    out.why = reason::dns_timeout;
    out.message = "no answer for " + what + " from " + server + " after " + elapsed_ms(started) + " of retries";
    break;
  case ARES_ECONNREFUSED:
    out.why = reason::dns_timeout;
    out.message = server + " refused the connection for " + what + " (nothing listens on its DNS port)";
    break;
  case ARES_EBADNAME:
    out.why = reason::dns_nxdomain;
    out.message = what + " is not a valid DNS name";
    break;
  default:
    out.why = reason::dns_servfail;
    out.message = "lookup of " + what + " through " + server + " failed: " + ares_strerror(reply->status);
    break;
  }
  return out;
}

// One c-ares channel has one UDP socket per server; past this many queries in
// flight on each, another channel (another socket) shares the load.
constexpr std::size_t queries_per_socket = 64;
constexpr std::size_t most_channels = 8;

} // namespace

struct resolver::impl {
  impl(net::any_io_executor executor, const resolver_spec& s) : spec(s), executor(std::move(executor)) {
    channels.push_back(std::make_unique<cares_channel>(this->executor, spec));
  }

  // The least busy channel; a new one when all are past queries_per_socket.
  cares_channel& channel_for_new_query() {
    auto least = std::min_element(channels.begin(), channels.end(),
                                  [](const auto& a, const auto& b) { return a->in_flight() < b->in_flight(); });
    if ((*least)->in_flight() >= queries_per_socket && channels.size() < most_channels) {
      channels.push_back(std::make_unique<cares_channel>(executor, spec));
      return *channels.back();
    }
    return **least;
  }

  // Identical questions in flight at the same time share one query: a suite of
  // checks of one name at once would otherwise send the same question hundreds
  // of times and read hundreds of identical answers.
  using question = std::tuple<bool /* raw */, std::string, int>;
  struct asked_question {
    std::shared_ptr<cares_request> request;
    cares_channel* channel = nullptr;
  };

  // The query in flight for `q`, or a new one on the least busy channel.
  asked_question query_for(const question& q, const std::vector<std::uint8_t>& raw_query) {
    if (auto it = asked.find(q); it != asked.end() && !completed(*it->second.request)) return it->second;
    if (asked.size() >= 1024)
      std::erase_if(asked, [](const auto& entry) { return completed(*entry.second.request); });
    auto& channel = channel_for_new_query();
    auto request = std::get<0>(q) ? channel.send(raw_query) : channel.search(std::get<1>(q), std::get<2>(q));
    return asked[q] = {std::move(request), &channel};
  }

  net::awaitable<std::optional<cares_reply>> ask(const question& q, std::vector<std::uint8_t> raw_query,
                                                 clock::time_point deadline) {
    auto [request, channel] = query_for(q, raw_query);
    co_return co_await channel->wait(std::move(request), deadline);
  }

  const std::string& description() const { return channels.front()->description(); }

  resolver_spec spec;
  net::any_io_executor executor;
  std::vector<std::unique_ptr<cares_channel>> channels;
  std::map<question, asked_question> asked;
  std::mt19937 ids{std::random_device{}()};
};

namespace {

net::awaitable<family_result> ask(resolver::impl& r, const std::string& host, int qtype, clock::time_point deadline,
                                  clock::time_point started, std::optional<clock::time_point>& arrived) {
  auto reply = co_await r.ask({false, host, qtype}, {}, deadline);
  if (reply && reply->arrived) arrived = std::max(arrived.value_or(*reply->arrived), *reply->arrived);
  auto result = classify(reply, host + (qtype == type_a ? " A" : " AAAA"), r.description(), started);
  if (result.why == reason::none) result = addresses_from(*reply, qtype);
  co_return result;
}

} // namespace

resolver::resolver(net::any_io_executor executor, const resolver_spec& spec)
    : impl_(std::make_unique<impl>(std::move(executor), spec)) {}
resolver::~resolver() = default;
const resolver_spec& resolver::spec() const { return impl_->spec; }

net::awaitable<host_lookup> resolver::lookup_host(std::string host, address_family family,
                                                  clock::time_point deadline) {
  host_lookup out;
  out.resolver_used = impl_->description();
  boost::system::error_code ec;
  if (auto literal = net::ip::make_address(host, ec); !ec) {
    out.addresses.push_back(literal);
    out.resolver_used = "none (an IP address)";
    co_return out;
  }

  const auto started = clock::now();
  std::vector<family_result> results;
  if (family == address_family::any) {
    // Both questions in flight at once: the lookup takes one round trip, not two.
    using namespace net::experimental::awaitable_operators;
    auto [a, aaaa] = co_await (ask(*impl_, host, type_a, deadline, started, out.arrived) &&
                               ask(*impl_, host, type_aaaa, deadline, started, out.arrived));
    results.push_back(std::move(a));
    results.push_back(std::move(aaaa));
  } else {
    const int qtype = family == address_family::ipv4 ? type_a : type_aaaa;
    results.push_back(co_await ask(*impl_, host, qtype, deadline, started, out.arrived));
  }

  for (auto& r : results) out.addresses.insert(out.addresses.end(), r.addresses.begin(), r.addresses.end());
  if (!out.addresses.empty()) co_return out;

  // No address: the most telling cause wins. NXDOMAIN says the most, then a failing
  // resolver; NODATA for every family asked means the name has no address at all.
  for (reason wanted : {reason::dns_nxdomain, reason::dns_timeout, reason::dns_servfail, reason::dns_refused}) {
    for (auto& r : results) {
      if (r.why == wanted) {
        out.why = r.why;
        out.message = std::move(r.message);
        co_return out;
      }
    }
  }
  out.why = reason::dns_no_address;
  out.message = host + " has no " +
                std::string(family == address_family::ipv4   ? "IPv4 (A)"
                            : family == address_family::ipv6 ? "IPv6 (AAAA)"
                                                             : "A or AAAA") +
                " record at " + out.resolver_used;
  co_return out;
}

net::awaitable<dns_answer> resolver::query(std::string name, std::uint16_t qtype, clock::time_point deadline) {
  dns_answer out;
  out.resolver_used = impl_->description();
  unsigned char* built = nullptr;
  int length = 0;
  const auto id = static_cast<unsigned short>(impl_->ids());
  const int rc = ares_create_query(name.c_str(), 1 /* IN */, qtype, id, impl_->spec.recursion ? 1 : 0, &built,
                                   &length, 0);
  if (rc != ARES_SUCCESS) {
    out.why = reason::dns_nxdomain;
    out.message = "\"" + name + "\" cannot be asked: " + ares_strerror(rc);
    co_return out;
  }
  std::vector<std::uint8_t> query(built, built + length);
  ares_free_string(built);

  const auto started = clock::now();
  auto reply = co_await impl_->ask({true, name, qtype}, std::move(query), deadline);
  if (reply && reply->status == ARES_SUCCESS && !reply->bytes.empty()) {
    out.response = std::move(reply->bytes);
    out.server_address = reply->server.empty() ? out.resolver_used : reply->server;
    out.sent = reply->sent;
    out.arrived = reply->arrived;
    co_return out;
  }
  auto failed = classify(reply, name + " type " + std::to_string(qtype), out.resolver_used, started);
  out.why = failed.why == reason::none ? reason::dns_servfail : failed.why;
  out.message = failed.message.empty() ? "no response for " + name + " from " + out.resolver_used : failed.message;
  co_return out;
}

} // namespace edgeprobe
