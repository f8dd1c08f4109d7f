// SQL Server Resolution Protocol ([MC-SQLR], the SQL Server Browser on UDP 1434):
// pure functions from bytes to requests and answers and back, bounds-checked, no
// I/O. Decoding never trusts RESP_SIZE and never throws.
#pragma once
#include "wire/decoded.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe::ssrp {

constexpr std::uint16_t port = 1434;

// The first byte of every message (2.2.1 - 2.2.6).
namespace opcode {
constexpr std::uint8_t clnt_bcast_ex = 0x02, clnt_ucast_ex = 0x03, clnt_ucast_inst = 0x04, svr_resp = 0x05,
                       clnt_ucast_dac = 0x0F;
}
constexpr std::uint8_t dac_protocol_version = 0x01; // CLNT_UCAST_DAC and its answer both carry it

constexpr std::size_t max_request_instance_name = 32; // INSTANCENAME in a request, without the NUL
constexpr std::size_t max_inst_resp_data = 1024;      // RESP_DATA answering CLNT_UCAST_INST
constexpr std::size_t max_ex_resp_data = 65535;       // RESP_DATA answering CLNT_BCAST_EX / CLNT_UCAST_EX
constexpr std::size_t max_record = 1024;              // one instance's text, in any answer (2.2.5 note 3)
constexpr std::size_t max_protocol_parameters = 255;  // a protocol's parameters (3.2.5.4)
// Microsoft's own client stacks (MDAC, Windows DAC, SQL Server Native Client)
// drop a CLNT_UCAST_EX answer with more RESP_DATA than this ([MC-SQLR] <4>),
// although the server may send up to 65,535: an answer between the two reaches
// nmap and FreeTDS but not applications on those stacks. Callers report it;
// decoding accepts it.
constexpr std::size_t microsoft_client_ex_limit = 4096;
constexpr std::size_t dac_response_size = 6;

enum class request_kind { bcast_ex, ucast_ex, ucast_inst, ucast_dac };

// Why a name cannot go into CLNT_UCAST_INST / CLNT_UCAST_DAC: "" when it can.
// It must be 1..32 bytes without NUL (the request is NUL-terminated).
std::string instance_name_problem(std::string_view name);

// Requests. nullopt when instance_name_problem(name) is not empty.
std::vector<std::uint8_t> build_bcast_ex();                                          // 02
std::vector<std::uint8_t> build_ucast_ex();                                          // 03
std::optional<std::vector<std::uint8_t>> build_ucast_inst(std::string_view instance); // 04 name 00
std::optional<std::vector<std::uint8_t>> build_ucast_dac(std::string_view instance);  // 0F 01 name 00

struct request {
  request_kind kind = request_kind::ucast_ex;
  std::string instance; // CLNT_UCAST_INST and CLNT_UCAST_DAC: the name asked for, bytes as sent
};

// One request datagram (what the responder receives). The EX forms are exactly
// one byte; the named forms need 1..32 name bytes and a NUL as the last byte.
// Like every decoder here, a failure says where decoding stopped and what was
// wrong there.
wire::decoded<request> decode_request(std::span<const std::uint8_t> bytes);

// Protocol parameters of one instance. Values are the text as sent (the spec's
// MBCS in the server's code page; edgeprobe does not transcode).
struct via_listener {
  std::string nic;  // VIANIC, up to the ':'
  std::string port; // VIAPORT, after the ':' (text: VIA port numbers are not TCP ports)
  friend bool operator==(const via_listener&, const via_listener&) = default;
};
struct via_parameters { // "via;NETBIOS,nic:port,nic:port"
  std::string netbios; // at most 15 bytes
  std::vector<via_listener> listeners; // at least one
  friend bool operator==(const via_parameters&, const via_parameters&) = default;
};
// Banyan VINES. The ABNF writes ITEMNAME;GROUPNAME twice (BV_INFO repeats what
// BV_PARAMETERS already holds); edgeprobe reads the BV_PARAMETERS form
// "bv;item;group;org", the form that also fits the sample quoted in nmap's SSRP
// parser ("bv;;@COMPNAME;;tcp;1433;;").
struct bv_parameters {
  std::string item, group, org;
  friend bool operator==(const bv_parameters&, const bv_parameters&) = default;
};
// A key;value pair this codec does not know, kept as sent.
struct other_token {
  std::string key;
  std::string value;
  friend bool operator==(const other_token&, const other_token&) = default;
};

// One CLNT_UCAST_INST_RESPONSE: "ServerName;X;InstanceName;Y;IsClustered;No;
// Version;15.0.2000.5;tcp;1433;np;\\X\pipe\sql\query;;". Protocol tokens may come
// in any order and each at most once. The encoder writes tcp before np, as the
// spec's own examples and SQL Server do (the ABNF lists np first), because
// FreeTDS reads the tokens by position and expects tcp, np, via in that order;
// then rpc spx adsp bv, then the unknown ones in the order they came.
struct instance {
  std::string server_name;   // at most 255 bytes
  std::string instance_name; // at most 255 bytes ("MSSQLSERVER" for the default instance)
  bool is_clustered = false; // "Yes" / "No" (any case)
  std::string version;       // 1..16 bytes of digits and dots: "15.0.2000.5"
  std::optional<std::string> np;          // pipe name: \\HOST\pipe\sql\query
  std::optional<std::uint16_t> tcp;       // 1..65535, digits only on the wire
  std::optional<via_parameters> via;
  std::optional<std::string> rpc;         // COMPUTERNAME
  std::optional<std::string> spx;         // SERVICENAME
  std::optional<std::string> adsp;        // ADSPOBJECTNAME
  std::optional<bv_parameters> bv;
  std::vector<other_token> others;        // unknown tokens, in wire order
  friend bool operator==(const instance&, const instance&) = default;
};

// An SVR_RESP answering `asked` (bcast_ex, ucast_ex or ucast_inst; ucast_dac
// answers go to decode_dac_response). Checks: type 0x05; RESP_SIZE (little-endian)
// equals the bytes that follow; RESP_DATA within the limit for `asked` (1,024 /
// 65,535) and free of NUL; each record within 1,024 bytes and in the ABNF's shape;
// an answer to CLNT_UCAST_INST holds exactly one record. Records are found by
// their "ServerName;" keyword after ";;", because ";;" alone also ends an empty
// value ("np;;tcp;1433;;"). Keywords match in any case ([MC-SQLR] 2.2). The
// records come in wire order.
wire::decoded<std::vector<instance>> decode_response(std::span<const std::uint8_t> bytes, request_kind asked);

// The limit on RESP_DATA for an answer to `asked` (0 for ucast_dac, whose answer has none).
std::size_t max_resp_data(request_kind asked);

// The 6-byte answer to CLNT_UCAST_DAC: 05, RESP_SIZE 6 (the whole message, LE),
// 01, port (LE, not 0). The value is the DAC's TCP port.
wire::decoded<std::uint16_t> decode_dac_response(std::span<const std::uint8_t> bytes);

// Answers (the responder's side). encode_instance gives one record's text;
// nullopt when the record would not decode back to itself (a ';' or NUL in a
// value, an unknown key that is empty or a keyword, a version that is not digits
// and dots, tcp port 0, a field or the record over its limit). build_response
// also follows decode_response's rules for `answering`: RESP_DATA within its
// limit, exactly one record for ucast_inst, nothing for ucast_dac. An empty list
// for the EX forms gives RESP_DATA of zero bytes, which the ABNF allows (a real
// server stays silent instead). An empty value ("np;;") is legal and decodes
// here, but FreeTDS 1.3.17 skips empty fields, reads every later field one place
// off, and its `tsql -L` then loops for ever: a responder that wants FreeTDS to
// cope sends no empty values.
std::optional<std::string> encode_instance(const instance& record);
std::optional<std::vector<std::uint8_t>> build_response(std::span<const instance> records, request_kind answering);
// Port 0 is written as asked (a responder told to misbehave); decode_dac_response rejects it.
std::vector<std::uint8_t> build_dac_response(std::uint16_t tcp_port);

// Instance names compare without regard to ASCII case, as SQL Server does.
bool same_instance_name(std::string_view a, std::string_view b);

// For evidence: "CLNT_UCAST_INST".
std::string request_name(request_kind kind);

} // namespace edgeprobe::ssrp
