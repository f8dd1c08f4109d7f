// DCE/RPC connection-oriented codec (Open Group C706 chapter 12, with the
// [MS-RPCE] extensions a Windows or Samba endpoint mapper uses) for the rpc-epm
// probe and its responder: PDU headers and bodies, fragment reassembly,
// protocol towers (C706 appendix L) and the NDR stubs of ept_map and
// ept_lookup. Pure functions from bytes to values and back, bounds-checked,
// no I/O. Decoding never trusts a count or length field.
//
// Byte order: the PDU header honours the sender's data representation (drep),
// so a stream can always be framed; PDU bodies and stubs are decoded only in
// little-endian NDR, which is what every Windows and Samba peer sends (a
// big-endian body is reported as unsupported, not misread). Encoders always
// write little-endian, ASCII, IEEE (drep 10 00 00 00).
//
// The codec is four parts, each with its header: dcerpc_pdu.hpp (UUIDs, the
// PDU header and bodies, fragments, names), dcerpc_tower.hpp (protocol
// towers), epm_stub.hpp (the ept_map and ept_lookup stubs) and
// interfaces.hpp (the interfaces known by name). This header includes all
// four. Decoders return wire::decoded: the value, or error.offset (where
// decoding stopped, in the bytes given to the decoder) and error.what (why,
// for evidence: "tower 1: max_count 76 differs from tower_length 75").
#pragma once
#include "probes/rpc_epm/dcerpc_pdu.hpp"
#include "probes/rpc_epm/dcerpc_tower.hpp"
#include "probes/rpc_epm/epm_stub.hpp"
#include "probes/rpc_epm/interfaces.hpp"
