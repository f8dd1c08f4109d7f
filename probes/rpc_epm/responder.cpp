#include "probes/rpc_epm/responder.hpp"

#include "core/deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cstring>

namespace edgeprobe {

namespace {

using namespace dcerpc;

std::vector<std::vector<std::uint8_t>> one(std::optional<std::vector<std::uint8_t>> bytes) {
  if (!bytes) return {};
  return {std::move(*bytes)};
}

std::vector<std::vector<std::uint8_t>> fault(const header& asked, std::uint16_t context_id, std::uint32_t code) {
  fault_pdu f;
  f.head.type = ptype::fault;
  f.head.call_id = asked.call_id;
  f.context_id = context_id;
  f.status = code;
  return one(encode(f));
}

std::vector<std::vector<std::uint8_t>> answer_bind(const bind_pdu& bind, epm_association& a) {
  bind_ack_pdu ack;
  ack.head.type = bind.head.type == ptype::alter_context ? ptype::alter_context_resp : ptype::bind_ack;
  ack.head.call_id = bind.head.call_id;
  ack.max_xmit_frag = ack.max_recv_frag = std::min(bind.max_recv_frag, default_max_frag);
  ack.assoc_group = bind.assoc_group ? bind.assoc_group : 0x53f0;
  ack.secondary_address = std::to_string(a.local_port);
  for (const auto& context : bind.contexts) {
    context_result r;
    const bool ndr = std::find(context.transfer_syntaxes.begin(), context.transfer_syntaxes.end(), ndr_syntax) !=
                     context.transfer_syntaxes.end();
    if (context.abstract_syntax != epm_interface) {
      r.result = bind_result::provider_rejection;
      r.reason = provider_reason::abstract_syntax_not_supported;
    } else if (!ndr) {
      r.result = bind_result::provider_rejection;
      r.reason = provider_reason::transfer_syntaxes_not_supported;
    } else {
      r.transfer_syntax = ndr_syntax;
      if (!a.bound) {
        a.bound = true;
        a.context_id = context.id;
        a.max_frag = ack.max_xmit_frag;
      }
    }
    ack.results.push_back(r);
  }
  return one(encode(ack));
}

tower tcp_tower(const epm_registration& r, const std::string& address) {
  tower t;
  t.interface = r.interface;
  t.transfer_syntax = ndr_syntax;
  t.protocol = "ncacn_ip_tcp";
  t.port = r.port;
  t.address = address;
  // The encoders write the floors; an address that is not IPv4 text (an IPv6
  // client) goes out as 0.0.0.0, which clients read as "where you asked".
  auto floors = build_floors(t);
  if (!floors) {
    t.address.clear();
    floors = build_floors(t);
  }
  t.floors = std::move(*floors);
  return t;
}

// ept_map: the registration for the tower's interface (same UUID and major
// version, minor at least the one asked), as [MS-RPCE] 3.1.1.5.1.1 matches.
std::optional<std::vector<std::uint8_t>> ept_map(std::span<const std::uint8_t> stub, const epm_responder_options& o,
                                                 const std::string& address) {
  const auto asked = decode_ept_map_request(stub);
  if (!asked || !asked.value->map_tower) return std::nullopt;
  const auto wanted = decode_tower(*asked.value->map_tower);
  if (!wanted) return std::nullopt;
  ept_map_response answer;
  answer.max_count = asked.value->max_towers;
  const auto& want = wanted.value->interface;
  const auto it = std::find_if(o.registrations.begin(), o.registrations.end(), [&](const epm_registration& r) {
    return r.interface.id == want.id && r.interface.major == want.major && r.interface.minor >= want.minor;
  });
  if (it == o.registrations.end() || asked.value->max_towers == 0) answer.status = status::ept_not_registered;
  else answer.towers.push_back(tcp_tower(*it, address));
  return encode_ept_map_response(answer);
}

// ept_lookup, paged: status 0 with a handle that remembers where while entries
// are left, and a null handle with the last page — the end impacket's
// hept_lookup waits for. A handle past the end, or nothing registered, gets
// EPT_S_NOT_REGISTERED (what Samba sends with its last page instead).
std::optional<std::vector<std::uint8_t>> ept_lookup(std::span<const std::uint8_t> stub, const epm_responder_options& o,
                                                    const std::string& address) {
  const auto asked = decode_ept_lookup_request(stub);
  if (!asked) return std::nullopt;
  std::uint32_t offset = 0;
  std::memcpy(&offset, asked.value->entry_handle.data() + 16, sizeof offset);
  ept_lookup_response answer;
  answer.max_count = asked.value->max_ents;
  const std::size_t page = std::min<std::size_t>(asked.value->max_ents, max_towers_limit);
  if (offset >= o.registrations.size() || page == 0) {
    answer.status = status::ept_not_registered;
    return encode_ept_lookup_response(answer);
  }
  const auto end = std::min(o.registrations.size(), offset + page);
  for (auto i = offset; i < end; ++i) {
    ept_entry e;
    e.endpoint = tcp_tower(o.registrations[i], address);
    e.annotation = o.registrations[i].annotation.substr(0, max_annotation - 1);
    answer.entries.push_back(std::move(e));
  }
  if (end < o.registrations.size()) {
    answer.entry_handle[0] = 1; // non-null, then where the next page starts
    const auto next = static_cast<std::uint32_t>(end);
    std::memcpy(answer.entry_handle.data() + 16, &next, sizeof next);
  }
  return encode_ept_lookup_response(answer);
}

} // namespace

std::vector<std::vector<std::uint8_t>> epm_answer(std::span<const std::uint8_t> bytes, epm_association& a,
                                                  const epm_responder_options& o) {
  const auto decoded = decode_pdu(bytes);
  if (!decoded) return {};
  if (const auto* bind = std::get_if<bind_pdu>(&*decoded.value)) return answer_bind(*bind, a);
  const auto* request = std::get_if<request_pdu>(&*decoded.value);
  if (!request) return {}; // auth3, shutdown, co_cancel, stray responses: nothing to say
  if (!a.bound || request->context_id != a.context_id)
    return fault(request->head, request->context_id, status::context_mismatch);
  if (!request->head.first() || !request->head.last()) // endpoint mapper questions fit one fragment
    return fault(request->head, request->context_id, status::proto_error);
  const auto& address = o.tower_address.empty() ? a.local_address : o.tower_address;
  std::optional<std::vector<std::uint8_t>> stub;
  switch (request->opnum) {
    case opnum::ept_map: stub = ept_map(request->stub, o, address); break;
    case opnum::ept_lookup: stub = ept_lookup(request->stub, o, address); break;
    default: return fault(request->head, request->context_id, status::op_rng_error);
  }
  if (!stub) return fault(request->head, request->context_id, status::bad_stub_data);
  response_pdu response;
  response.head.type = ptype::response;
  response.head.call_id = request->head.call_id;
  response.context_id = request->context_id;
  response.stub = std::move(*stub);
  return encode_fragments(response, a.max_frag);
}

tcp_responder_options epm_responder_tcp_options(epm_responder_options options) {
  tcp_responder_options tcp;
  tcp.serve_connection = [options = std::move(options), idle = tcp.idle_timeout](
                             net::ip::tcp::socket& socket) -> net::awaitable<void> {
    boost::system::error_code ec;
    const auto local = socket.local_endpoint(ec);
    if (ec) co_return;
    epm_association association;
    association.local_address = local.address().to_string();
    association.local_port = local.port();
    std::vector<std::uint8_t> buffer;
    std::array<std::uint8_t, 4096> chunk;
    for (;;) {
      // A client silent for the idle timeout is dropped, as on a real server.
      const auto deadline = clock::now() + idle;
      while (!framed_size(buffer) || buffer.size() < *framed_size(buffer)) {
        auto got = co_await until(deadline, socket.async_read_some(net::buffer(chunk), net::deferred));
        if (!got || std::get<0>(*got)) co_return;
        buffer.insert(buffer.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(std::get<1>(*got)));
      }
      const auto size = *framed_size(buffer);
      const std::vector<std::uint8_t> pdu(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      for (const auto& answer : epm_answer(pdu, association, options)) {
        auto sent = co_await until(deadline, net::async_write(socket, net::buffer(answer), net::deferred));
        if (!sent || std::get<0>(*sent)) co_return;
      }
    }
  };
  return tcp;
}

} // namespace edgeprobe
