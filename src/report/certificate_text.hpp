// A server's certificate for people, the way the field scripts printed it
// (issuer, subject, SANs, expiry, serial), then the rest of the chain as sent.
#pragma once
#include <nlohmann/json.hpp>

#include <ostream>

namespace edgeprobe {

// `chain`: the tls probe's evidence array (leaf first). Writes nothing for an
// empty chain.
void write_certificates(const nlohmann::json& chain, std::size_t indent, std::ostream& out);

} // namespace edgeprobe
