// SSRP requests and answers. The answer text is split into records at each
// "ServerName;" that follows ";;" and every record is then read field by field,
// so an empty value (";;" in mid-record) never ends a record early.
#include "probes/sqlbrowser/ssrp.hpp"

#include "wire/ascii.hpp"
#include "wire/escape_bytes.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <algorithm>
#include <array>

namespace edgeprobe::ssrp {

namespace {

constexpr std::size_t header_size = 3; // SVR_RESP, RESP_SIZE
constexpr std::size_t max_server_name = 255, max_instance_name = 255, max_version = 16, max_netbios = 15;

using wire::failure;

// Text from the wire as evidence: printable ASCII as is, anything else as \xNN,
// cut after 40 bytes so one bad record cannot flood a report.
std::string shown(std::string_view text) {
  constexpr std::size_t limit = 40;
  return "\"" + escape_for_quotes(text.substr(0, limit)) + (text.size() > limit ? "\"..." : "\"");
}

std::string hex_byte(std::uint8_t b) {
  constexpr char hex[] = "0123456789ABCDEF";
  return std::string("0x") + hex[b >> 4] + hex[b & 0x0F];
}

// The keywords that open a record. An unknown protocol key may not be one of
// them: "np;;ServerName;x" would read as the start of the next record.
constexpr std::array<std::string_view, 4> record_keywords{"ServerName", "InstanceName", "IsClustered", "Version"};
constexpr std::array<std::string_view, 7> protocol_keys{"np", "tcp", "via", "rpc", "spx", "adsp", "bv"};

bool is_keyword(std::string_view key) {
  return std::any_of(record_keywords.begin(), record_keywords.end(), [&](auto k) { return iequals_ascii(k, key); }) ||
         std::any_of(protocol_keys.begin(), protocol_keys.end(), [&](auto k) { return iequals_ascii(k, key); });
}

bool valid_version(std::string_view v) {
  return !v.empty() && v.size() <= max_version &&
         std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// TCP_PORT: decimal digits only (no sign, no spaces), 1..65535.
std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
    if (v > 65535) return std::nullopt;
  }
  if (v == 0) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

// VIA_PARAMETERS: NETBIOS 1*("," VIANIC ":" VIAPORT).
std::optional<via_parameters> parse_via(std::string_view text, std::string& why) {
  via_parameters via;
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) {
    why = "has no listener (NETBIOS,nic:port)";
    return std::nullopt;
  }
  via.netbios = std::string(text.substr(0, comma));
  if (via.netbios.size() > max_netbios) {
    why = "has a NetBIOS name of " + std::to_string(via.netbios.size()) + " bytes; at most 15";
    return std::nullopt;
  }
  std::string_view rest = text.substr(comma + 1);
  for (;;) {
    const auto next = rest.find(',');
    const std::string_view item = rest.substr(0, next);
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) {
      why = "has a listener " + shown(item) + " without nic:port";
      return std::nullopt;
    }
    via.listeners.push_back({std::string(item.substr(0, colon)), std::string(item.substr(colon + 1))});
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return via;
}

// Reads one record: text[begin, end) of RESP_DATA, which starts at `base` in the message.
class record_reader {
public:
  record_reader(std::string_view text, std::size_t begin, std::size_t end, std::size_t base)
      : text_(text), pos_(begin), end_(end), base_(base) {}

  instance read() {
    const std::size_t start = pos_;
    if (end_ - start > max_record)
      throw failure{at(start), "record is " + std::to_string(end_ - start) + " bytes; [MC-SQLR] allows 1,024 per instance"};
    instance r;
    keyword("ServerName");
    r.server_name = limited(value("ServerName"), max_server_name, "ServerName");
    keyword("InstanceName");
    r.instance_name = limited(value("InstanceName"), max_instance_name, "InstanceName");
    keyword("IsClustered");
    const std::size_t clustered_at = pos_;
    const std::string clustered = value("IsClustered");
    if (iequals_ascii(clustered, "Yes")) r.is_clustered = true;
    else if (!iequals_ascii(clustered, "No"))
      throw failure{at(clustered_at), "IsClustered is " + shown(clustered) + ", not Yes or No"};
    keyword("Version");
    const std::size_t version_at = pos_;
    r.version = value("Version");
    if (!valid_version(r.version))
      throw failure{at(version_at), "Version " + shown(r.version) + " is not 1 to 16 digits and dots"};

    // Protocol tokens until the closing ';' (the one after the last value is already read).
    for (;;) {
      if (pos_ == end_) throw failure{at(pos_), "record does not end with ;;"};
      if (text_[pos_] == ';') {
        ++pos_;
        if (pos_ != end_) throw failure{at(pos_), "text after the record's closing ;; is not a new ServerName record"};
        return r;
      }
      // Not empty: an empty key would be the ';' just handled.
      const std::size_t key_at = pos_;
      const std::string key = value("a protocol key");
      protocol(r, key, key_at);
    }
  }

private:
  std::size_t at(std::size_t text_pos) const { return base_ + text_pos; }

  void keyword(std::string_view word) {
    const std::string_view rest = text_.substr(pos_, end_ - pos_);
    if (!istarts_with_ascii(rest, word) || rest.size() == word.size() || rest[word.size()] != ';') {
      const std::string found(rest.substr(0, std::min(rest.find(';'), rest.size())));
      throw failure{at(pos_), "expected " + std::string(word) + ", found " + shown(found)};
    }
    pos_ += word.size() + 1;
  }

  // Text up to the next ';' inside the record; consumes that ';'.
  std::string value(std::string_view what) {
    const std::size_t semi = text_.find(';', pos_);
    if (semi == std::string_view::npos || semi >= end_)
      throw failure{at(pos_), "record ends inside " + std::string(what) + " (no ';' follows)"};
    std::string out(text_.substr(pos_, semi - pos_));
    pos_ = semi + 1;
    return out;
  }

  std::string limited(std::string v, std::size_t limit, std::string_view what) const {
    if (v.size() > limit)
      throw failure{at(pos_ - 1 - v.size()),
                    std::string(what) + " is " + std::to_string(v.size()) + " bytes; at most " + std::to_string(limit)};
    return v;
  }

  template <typename T> void once(const std::optional<T>& slot, std::string_view key, std::size_t key_at) const {
    if (slot) throw failure{at(key_at), "protocol " + std::string(key) + " appears twice in one record"};
  }

  std::string parameters(std::string_view key) {
    const std::size_t value_at = pos_;
    std::string v = value(std::string(key) + "'s value");
    if (v.size() > max_protocol_parameters)
      throw failure{at(value_at), std::string(key) + " parameters are " + std::to_string(v.size()) +
                                      " bytes; clients reject more than 255"};
    return v;
  }

  void protocol(instance& r, const std::string& key, std::size_t key_at) {
    if (iequals_ascii(key, "np")) {
      once(r.np, "np", key_at);
      r.np = parameters("np");
    } else if (iequals_ascii(key, "tcp")) {
      once(r.tcp, "tcp", key_at);
      const std::size_t value_at = pos_;
      const std::string text = parameters("tcp");
      r.tcp = parse_port(text);
      if (!r.tcp) throw failure{at(value_at), "tcp port " + shown(text) + " is not a number from 1 to 65535"};
    } else if (iequals_ascii(key, "via")) {
      once(r.via, "via", key_at);
      const std::size_t value_at = pos_;
      const std::string text = parameters("via");
      std::string why;
      r.via = parse_via(text, why);
      if (!r.via) throw failure{at(value_at), "via parameters " + shown(text) + " " + why};
    } else if (iequals_ascii(key, "rpc")) {
      once(r.rpc, "rpc", key_at);
      r.rpc = parameters("rpc");
    } else if (iequals_ascii(key, "spx")) {
      once(r.spx, "spx", key_at);
      r.spx = parameters("spx");
    } else if (iequals_ascii(key, "adsp")) {
      once(r.adsp, "adsp", key_at);
      r.adsp = parameters("adsp");
    } else if (iequals_ascii(key, "bv")) {
      once(r.bv, "bv", key_at);
      const std::size_t value_at = pos_;
      bv_parameters bv;
      bv.item = value("bv's item name");
      bv.group = value("bv's group name");
      bv.org = value("bv's organization name");
      const std::size_t size = bv.item.size() + bv.group.size() + bv.org.size() + 2;
      if (size > max_protocol_parameters)
        throw failure{at(value_at), "bv parameters are " + std::to_string(size) + " bytes; clients reject more than 255"};
      r.bv = std::move(bv);
    } else if (is_keyword(key)) {
      throw failure{at(key_at), "keyword " + shown(key) + " inside the protocol list"};
    } else {
      const std::size_t value_at = pos_;
      std::string v = value("the value of " + shown(key));
      if (v.size() > max_protocol_parameters)
        throw failure{at(value_at), shown(key) + " parameters are " + std::to_string(v.size()) +
                                        " bytes; clients reject more than 255"};
      r.others.push_back({key, std::move(v)});
    }
  }

  std::string_view text_;
  std::size_t pos_, end_, base_;
};

std::vector<instance> parse_records(std::string_view text, std::size_t base) {
  std::vector<instance> out;
  if (text.empty()) return out;
  if (!istarts_with_ascii(text, "ServerName;"))
    throw failure{base, "RESP_DATA does not start with ServerName; but " + shown(text.substr(0, 16))};
  std::vector<std::size_t> starts{0};
  for (std::size_t p = ifind_ascii(text, ";;ServerName;", 0); p != std::string_view::npos;
       p = ifind_ascii(text, ";;ServerName;", p + 2))
    starts.push_back(p + 2);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    out.push_back(record_reader(text, starts[i], end, base).read());
  }
  return out;
}

void append_instance_name(std::vector<std::uint8_t>& out, std::string_view name) {
  out.insert(out.end(), name.begin(), name.end());
  out.push_back(0x00);
}

// The name field of CLNT_UCAST_INST / CLNT_UCAST_DAC: the rest of the request.
std::string read_request_name(wire::reader& in, const char* what) {
  const std::size_t from = in.pos();
  const auto rest = in.rest();
  const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
  if (nul == rest.end()) throw failure{in.pos(), std::string(what) + " instance name is not NUL-terminated"};
  const std::size_t length = static_cast<std::size_t>(nul - rest.begin());
  const std::size_t nul_at = from + length;
  if (nul + 1 != rest.end())
    throw failure{nul_at + 1, std::to_string(in.pos() - nul_at - 1) + " bytes follow the instance name's NUL"};
  if (length == 0) throw failure{from, std::string(what) + " asks for an empty instance name"};
  if (length > max_request_instance_name)
    throw failure{from, std::string(what) + " instance name is " + std::to_string(length) + " bytes; at most 32"};
  return std::string(rest.begin(), nul);
}

// SVR_RESP and RESP_SIZE (little-endian), the start of every answer.
std::size_t read_resp_size(wire::reader& in) {
  if (in.at_end()) throw failure{0, "empty datagram"};
  const std::uint8_t type = in.u8("the message type");
  if (type != opcode::svr_resp) throw failure{0, "type " + hex_byte(type) + " is not SVR_RESP (0x05)"};
  if (in.remaining() < 2) throw failure{in.size(), "message ends inside RESP_SIZE"};
  return in.u16("RESP_SIZE");
}

} // namespace

std::string instance_name_problem(std::string_view name) {
  if (name.empty()) return "instance name is empty";
  if (name.find('\0') != std::string_view::npos) return "instance name contains a NUL byte";
  if (name.size() > max_request_instance_name)
    return "instance name is " + std::to_string(name.size()) + " bytes; [MC-SQLR] allows at most 32";
  return {};
}

std::vector<std::uint8_t> build_bcast_ex() { return {opcode::clnt_bcast_ex}; }
std::vector<std::uint8_t> build_ucast_ex() { return {opcode::clnt_ucast_ex}; }

std::optional<std::vector<std::uint8_t>> build_ucast_inst(std::string_view instance) {
  if (!instance_name_problem(instance).empty()) return std::nullopt;
  std::vector<std::uint8_t> out{opcode::clnt_ucast_inst};
  append_instance_name(out, instance);
  return out;
}

std::optional<std::vector<std::uint8_t>> build_ucast_dac(std::string_view instance) {
  if (!instance_name_problem(instance).empty()) return std::nullopt;
  std::vector<std::uint8_t> out{opcode::clnt_ucast_dac, dac_protocol_version};
  append_instance_name(out, instance);
  return out;
}

wire::decoded<request> decode_request(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    if (bytes.empty()) throw failure{0, "empty datagram"};
    wire::reader in(bytes);
    const std::uint8_t type = in.u8("the request type");
    request r;
    switch (type) {
    case opcode::clnt_bcast_ex:
    case opcode::clnt_ucast_ex:
      r.kind = type == opcode::clnt_bcast_ex ? request_kind::bcast_ex : request_kind::ucast_ex;
      if (!in.at_end())
        throw failure{1, request_name(r.kind) + " is one byte; " + std::to_string(in.remaining()) + " more follow"};
      break;
    case opcode::clnt_ucast_inst:
      r.kind = request_kind::ucast_inst;
      r.instance = read_request_name(in, "CLNT_UCAST_INST");
      break;
    case opcode::clnt_ucast_dac: {
      r.kind = request_kind::ucast_dac;
      if (in.at_end()) throw failure{1, "CLNT_UCAST_DAC ends before PROTOCOLVERSION"};
      const std::uint8_t version = in.u8("PROTOCOLVERSION");
      if (version != dac_protocol_version)
        throw failure{1, "CLNT_UCAST_DAC PROTOCOLVERSION is " + hex_byte(version) + ", not 0x01"};
      r.instance = read_request_name(in, "CLNT_UCAST_DAC");
      break;
    }
    case opcode::svr_resp:
      throw failure{0, "an SVR_RESP (0x05), not a request"};
    default:
      throw failure{0, hex_byte(type) + " is not an SSRP request type"};
    }
    return r;
  });
}

std::size_t max_resp_data(request_kind asked) {
  switch (asked) {
  case request_kind::ucast_inst:
    return max_inst_resp_data;
  case request_kind::bcast_ex:
  case request_kind::ucast_ex:
    return max_ex_resp_data;
  case request_kind::ucast_dac:
    break;
  }
  return 0;
}

wire::decoded<std::vector<instance>> decode_response(std::span<const std::uint8_t> bytes, request_kind asked) {
  return wire::decoding([&] {
    if (asked == request_kind::ucast_dac)
      throw failure{0, "the answer to CLNT_UCAST_DAC has no records (decode it with decode_dac_response)"};
    wire::reader in(bytes, wire::byte_order::little);
    const std::size_t declared = read_resp_size(in);
    const std::size_t actual = in.remaining();
    if (declared != actual)
      throw failure{1, "RESP_SIZE says " + std::to_string(declared) + " bytes of RESP_DATA but " +
                           std::to_string(actual) + " follow"};
    const std::size_t limit = max_resp_data(asked);
    if (actual > limit)
      throw failure{header_size, "RESP_DATA is " + std::to_string(actual) + " bytes; an answer to " +
                                     request_name(asked) + " may carry at most " + std::to_string(limit)};
    const auto data = in.rest();
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
      throw failure{header_size + nul, "RESP_DATA contains a NUL byte"};
    auto records = parse_records(text, header_size);
    if (asked == request_kind::ucast_inst && records.size() != 1)
      throw failure{header_size, "an answer to CLNT_UCAST_INST carries " + std::to_string(records.size()) +
                                     " records, not one"};
    return records;
  });
}

wire::decoded<std::uint16_t> decode_dac_response(std::span<const std::uint8_t> bytes) {
  return wire::decoding([&] {
    wire::reader in(bytes, wire::byte_order::little);
    const std::size_t declared = read_resp_size(in);
    // Unlike other answers, a DAC answer's RESP_SIZE counts the whole message.
    if (declared != dac_response_size)
      throw failure{1, "RESP_SIZE is " + std::to_string(declared) + "; a DAC answer's is 6"};
    if (bytes.size() != dac_response_size)
      throw failure{std::min(bytes.size(), dac_response_size),
                    "DAC answer is " + std::to_string(bytes.size()) + " bytes, not 6"};
    const std::uint8_t version = in.u8("PROTOCOLVERSION");
    if (version != dac_protocol_version)
      throw failure{3, "DAC answer PROTOCOLVERSION is " + hex_byte(version) + ", not 0x01"};
    const std::uint16_t p = in.u16("the DAC port");
    if (p == 0) throw failure{4, "DAC port is 0"};
    return p;
  });
}

std::optional<std::string> encode_instance(const instance& r) {
  const auto plain = [](std::string_view v) { return v.find(';') == std::string_view::npos && v.find('\0') == std::string_view::npos; };
  if (!plain(r.server_name) || !plain(r.instance_name) || !valid_version(r.version)) return std::nullopt;
  std::string text = "ServerName;" + r.server_name + ";InstanceName;" + r.instance_name + ";IsClustered;" +
                     (r.is_clustered ? "Yes" : "No") + ";Version;" + r.version;
  const auto add = [&](std::string_view key, std::string_view value) {
    if (!plain(value)) return false;
    text += ';';
    text += key;
    text += ';';
    text += value;
    return true;
  };
  if (r.tcp) {
    if (*r.tcp == 0 || !add("tcp", std::to_string(*r.tcp))) return std::nullopt;
  }
  if (r.np && !add("np", *r.np)) return std::nullopt;
  if (r.via) {
    if (r.via->netbios.find(',') != std::string::npos || r.via->listeners.empty()) return std::nullopt;
    std::string v = r.via->netbios;
    for (const auto& l : r.via->listeners) {
      if (l.nic.find_first_of(",:") != std::string::npos || l.port.find(',') != std::string::npos) return std::nullopt;
      v += ',' + l.nic + ':' + l.port;
    }
    if (!add("via", v)) return std::nullopt;
  }
  if (r.rpc && !add("rpc", *r.rpc)) return std::nullopt;
  if (r.spx && !add("spx", *r.spx)) return std::nullopt;
  if (r.adsp && !add("adsp", *r.adsp)) return std::nullopt;
  if (r.bv) {
    if (!add("bv", r.bv->item) || !plain(r.bv->group) || !plain(r.bv->org)) return std::nullopt;
    text += ';' + r.bv->group + ';' + r.bv->org;
  }
  for (const auto& o : r.others) {
    if (o.key.empty() || !plain(o.key) || is_keyword(o.key) || !add(o.key, o.value)) return std::nullopt;
  }
  text += ";;";
  // The limits and the ";;ServerName;" split are the decoder's: whatever it
  // would not read back as this very record is not written.
  try {
    const auto again = parse_records(text, 0);
    if (again.size() != 1 || again.front() != r) return std::nullopt;
  } catch (const failure&) {
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::uint8_t>> build_response(std::span<const instance> records, request_kind answering) {
  if (answering == request_kind::ucast_dac) return std::nullopt;
  if (answering == request_kind::ucast_inst && records.size() != 1) return std::nullopt;
  std::string text;
  for (const auto& r : records) {
    auto one = encode_instance(r);
    if (!one) return std::nullopt;
    text += *one;
    if (text.size() > max_resp_data(answering)) return std::nullopt;
  }
  wire::writer out(wire::byte_order::little);
  out.u8(opcode::svr_resp);
  out.u16(static_cast<std::uint16_t>(text.size())); // RESP_SIZE: within 65,535 by max_resp_data
  out.text(text);
  return out.take();
}

std::vector<std::uint8_t> build_dac_response(std::uint16_t tcp_port) {
  wire::writer out(wire::byte_order::little);
  out.u8(opcode::svr_resp);
  out.u16(dac_response_size);
  out.u8(dac_protocol_version);
  out.u16(tcp_port);
  return out.take();
}

bool same_instance_name(std::string_view a, std::string_view b) { return iequals_ascii(a, b); }

std::string request_name(request_kind kind) {
  switch (kind) {
  case request_kind::bcast_ex:
    return "CLNT_BCAST_EX";
  case request_kind::ucast_ex:
    return "CLNT_UCAST_EX";
  case request_kind::ucast_inst:
    return "CLNT_UCAST_INST";
  case request_kind::ucast_dac:
    return "CLNT_UCAST_DAC";
  }
  return "request";
}

} // namespace edgeprobe::ssrp
