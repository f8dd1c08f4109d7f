// PLACEHOLDER until the c-ares resolver lands: IP literals only.
#include "net/resolver.hpp"

#include <boost/asio/ip/address.hpp>

namespace edgeprobe {

struct resolver::impl {
  resolver_spec spec;
};

resolver::resolver(net::any_io_executor, const resolver_spec& spec) : impl_(std::make_unique<impl>(impl{spec})) {}
resolver::~resolver() = default;
const resolver_spec& resolver::spec() const { return impl_->spec; }

net::awaitable<host_lookup> resolver::lookup_host(std::string host, address_family, clock::time_point) {
  host_lookup out;
  boost::system::error_code ec;
  auto a = net::ip::make_address(host, ec);
  if (!ec) out.addresses.push_back(a);
  else { out.why = reason::dns_timeout; out.message = "resolver not implemented"; }
  co_return out;
}

net::awaitable<dns_answer> resolver::query(std::string, std::uint16_t, clock::time_point) {
  dns_answer out;
  out.why = reason::dns_timeout;
  out.message = "resolver not implemented";
  co_return out;
}

} // namespace edgeprobe
