// libFuzzer entry for DCE/RPC PDUs and the endpoint mapper stubs they carry.
// The input is a byte stream as read from TCP 135, cut into PDUs with
// framed_size. Any bytes must decode or fail cleanly (an error offset inside
// the input); whatever decodes must encode and decode again to the same
// values; the stubs of requests, responses and the reassembled call go
// through the ept_map/ept_lookup decoders the same way.
#include "probes/rpc_epm/dcerpc.hpp"

#include <algorithm>
#include <cstdlib>

namespace {

using namespace edgeprobe;

void check(bool ok) {
  if (!ok) std::abort();
}

bool same(const dcerpc::tower& a, const dcerpc::tower& b) {
  return a.floors == b.floors && a.interface == b.interface && a.transfer_syntax == b.transfer_syntax &&
         a.protocol == b.protocol && a.port == b.port && a.endpoint == b.endpoint && a.address == b.address;
}

template <class T> void check_error(const wire::decoded<T>& r, std::size_t size) {
  check(!r.error.what.empty() && r.error.offset <= size);
}

void map_response(std::span<const std::uint8_t> stub) {
  const auto r = dcerpc::decode_ept_map_response(stub);
  if (!r) return check_error(r, stub.size());
  for (const auto& t : r.value->towers) (void)dcerpc::binding_text(t);
  const auto encoded = dcerpc::encode_ept_map_response(*r.value);
  check(encoded.has_value());
  const auto again = dcerpc::decode_ept_map_response(*encoded);
  check(again && again.value->entry_handle == r.value->entry_handle && again.value->max_count == r.value->max_count &&
        again.value->status == r.value->status && again.value->towers.size() == r.value->towers.size());
  for (std::size_t i = 0; i < r.value->towers.size(); ++i) check(same(again.value->towers[i], r.value->towers[i]));
}

void lookup_response(std::span<const std::uint8_t> stub) {
  const auto r = dcerpc::decode_ept_lookup_response(stub);
  if (!r) return check_error(r, stub.size());
  const auto encoded = dcerpc::encode_ept_lookup_response(*r.value);
  check(encoded.has_value());
  const auto again = dcerpc::decode_ept_lookup_response(*encoded);
  check(again && again.value->entry_handle == r.value->entry_handle && again.value->max_count == r.value->max_count &&
        again.value->status == r.value->status && again.value->entries.size() == r.value->entries.size());
  for (std::size_t i = 0; i < r.value->entries.size(); ++i) {
    const auto& a = again.value->entries[i];
    const auto& b = r.value->entries[i];
    check(a.object == b.object && a.annotation == b.annotation && a.endpoint.has_value() == b.endpoint.has_value());
    if (a.endpoint) check(same(*a.endpoint, *b.endpoint));
    (void)dcerpc::printable(b.annotation);
  }
}

void map_request(std::span<const std::uint8_t> stub) {
  const auto r = dcerpc::decode_ept_map_request(stub);
  if (!r) return check_error(r, stub.size());
  const auto again = dcerpc::decode_ept_map_request(dcerpc::encode_ept_map_request(*r.value));
  check(again && again.value->object == r.value->object && again.value->map_tower == r.value->map_tower &&
        again.value->entry_handle == r.value->entry_handle && again.value->max_towers == r.value->max_towers);
}

void lookup_request(std::span<const std::uint8_t> stub) {
  const auto r = dcerpc::decode_ept_lookup_request(stub);
  if (!r) return check_error(r, stub.size());
  const auto again = dcerpc::decode_ept_lookup_request(dcerpc::encode_ept_lookup_request(*r.value));
  check(again && again.value->inquiry_type == r.value->inquiry_type && again.value->object == r.value->object &&
        again.value->interface == r.value->interface && again.value->vers_option == r.value->vers_option &&
        again.value->entry_handle == r.value->entry_handle && again.value->max_ents == r.value->max_ents);
}

void stubs(std::span<const std::uint8_t> stub) {
  map_response(stub);
  lookup_response(stub);
  map_request(stub);
  lookup_request(stub);
}

bool same_head(const dcerpc::header& a, const dcerpc::header& b) {
  return a.type == b.type && a.flags == b.flags && a.call_id == b.call_id;
}

bool same_pdu(const dcerpc::pdu& a, const dcerpc::pdu& b) {
  if (a.index() != b.index() || !same_head(dcerpc::head_of(a), dcerpc::head_of(b))) return false;
  if (const auto* x = std::get_if<dcerpc::bind_pdu>(&a)) {
    const auto& y = std::get<dcerpc::bind_pdu>(b);
    if (x->max_xmit_frag != y.max_xmit_frag || x->max_recv_frag != y.max_recv_frag || x->assoc_group != y.assoc_group ||
        x->contexts.size() != y.contexts.size())
      return false;
    for (std::size_t i = 0; i < x->contexts.size(); ++i)
      if (x->contexts[i].id != y.contexts[i].id || x->contexts[i].abstract_syntax != y.contexts[i].abstract_syntax ||
          x->contexts[i].transfer_syntaxes != y.contexts[i].transfer_syntaxes)
        return false;
    return true;
  }
  if (const auto* x = std::get_if<dcerpc::bind_ack_pdu>(&a)) {
    const auto& y = std::get<dcerpc::bind_ack_pdu>(b);
    if (x->max_xmit_frag != y.max_xmit_frag || x->max_recv_frag != y.max_recv_frag || x->assoc_group != y.assoc_group ||
        x->secondary_address != y.secondary_address || x->results.size() != y.results.size())
      return false;
    for (std::size_t i = 0; i < x->results.size(); ++i)
      if (x->results[i].result != y.results[i].result || x->results[i].reason != y.results[i].reason ||
          x->results[i].transfer_syntax != y.results[i].transfer_syntax)
        return false;
    return true;
  }
  if (const auto* x = std::get_if<dcerpc::bind_nak_pdu>(&a)) {
    const auto& y = std::get<dcerpc::bind_nak_pdu>(b);
    return x->reject_reason == y.reject_reason && x->versions == y.versions;
  }
  if (const auto* x = std::get_if<dcerpc::request_pdu>(&a)) {
    const auto& y = std::get<dcerpc::request_pdu>(b);
    return x->context_id == y.context_id && x->opnum == y.opnum && x->object == y.object && x->stub == y.stub;
  }
  if (const auto* x = std::get_if<dcerpc::response_pdu>(&a)) {
    const auto& y = std::get<dcerpc::response_pdu>(b);
    return x->context_id == y.context_id && x->cancel_count == y.cancel_count && x->stub == y.stub;
  }
  if (const auto* x = std::get_if<dcerpc::fault_pdu>(&a)) {
    const auto& y = std::get<dcerpc::fault_pdu>(b);
    return x->alloc_hint == y.alloc_hint && x->context_id == y.context_id && x->cancel_count == y.cancel_count &&
           x->status == y.status && x->stub == y.stub;
  }
  const auto& x = std::get<dcerpc::other_pdu>(a);
  const auto& y = std::get<dcerpc::other_pdu>(b);
  return x.head.auth_length == y.head.auth_length && x.body == y.body;
}

// Cuts the call's stub again, at a few fragment sizes, and joins it back.
void recut(const dcerpc::response_pdu& first, const std::vector<std::uint8_t>& stub) {
  dcerpc::response_pdu whole = first;
  whole.stub = stub;
  for (std::size_t max_frag : {std::size_t{0}, std::size_t{100}, std::size_t{2048}}) {
    std::vector<dcerpc::response_pdu> parts;
    for (const auto& raw : dcerpc::encode_fragments(whole, max_frag)) {
      check(raw.size() <= std::max<std::size_t>(max_frag, 40));
      const auto p = dcerpc::decode_pdu(raw);
      check(p && std::holds_alternative<dcerpc::response_pdu>(*p.value));
      parts.push_back(std::get<dcerpc::response_pdu>(*p.value));
    }
    const auto joined = dcerpc::reassemble(parts);
    check(joined && *joined.value == stub);
  }
}

void one_pdu(std::span<const std::uint8_t> bytes, std::vector<dcerpc::response_pdu>& responses) {
  const auto p = dcerpc::decode_pdu(bytes);
  if (!p) return check_error(p, bytes.size());
  const auto encoded = std::visit([](const auto& v) { return dcerpc::encode(v); }, *p.value);
  check(encoded.has_value()); // what fit one fragment fits again
  const auto again = dcerpc::decode_pdu(*encoded);
  check(again && same_pdu(*p.value, *again.value));
  (void)dcerpc::ptype_name(dcerpc::head_of(*p.value).type);
  if (const auto* r = std::get_if<dcerpc::response_pdu>(&*p.value)) {
    stubs(r->stub);
    responses.push_back(*r);
  } else if (const auto* q = std::get_if<dcerpc::request_pdu>(&*p.value)) {
    stubs(q->stub);
  } else if (const auto* f = std::get_if<dcerpc::fault_pdu>(&*p.value)) {
    (void)dcerpc::status_name(f->status);
  } else if (const auto* a = std::get_if<dcerpc::bind_ack_pdu>(&*p.value)) {
    for (const auto& r : a->results) (void)dcerpc::context_result_text(r);
  } else if (const auto* n = std::get_if<dcerpc::bind_nak_pdu>(&*p.value)) {
    (void)dcerpc::reject_reason_name(n->reject_reason);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> stream(data, size);
  std::vector<dcerpc::response_pdu> responses;
  std::size_t at = 0;
  for (int n = 0; at < size && n < 64; ++n) {
    const auto len = dcerpc::framed_size(stream.subspan(at));
    if (!len || *len > size - at) { // a partial PDU: must fail, not be read past
      const auto r = dcerpc::decode_pdu(stream.subspan(at));
      check(!r && r.error.offset <= size - at);
      break;
    }
    one_pdu(stream.subspan(at, *len), responses);
    at += *len;
  }
  if (!responses.empty()) {
    const auto joined = dcerpc::reassemble(responses);
    if (joined) {
      std::size_t total = 0;
      for (const auto& r : responses) total += r.stub.size();
      check(joined.value->size() == total);
      stubs(*joined.value);
      recut(responses.front(), *joined.value);
    } else {
      check_error(joined, dcerpc::default_max_stub);
    }
  }
  return 0;
}
