// The order of the bytes of a multi-byte integer on the wire. Most protocols
// fix it (network order for DNS, STUN and TDS, little-endian for NTLM and
// NDR); DCE/RPC names it per PDU in its data representation byte, so readers
// and writers take it as a value, not as a type.
#pragma once

namespace edgeprobe::wire {

enum class byte_order { big, little };

} // namespace edgeprobe::wire
