// Builds a check's verdict from its addresses' verdicts (suite-format.md,
// "addresses": all — the worst; any — one passing is enough, failures warn).
#pragma once
#include "core/check.hpp"
#include "core/result.hpp"

#include <vector>

namespace edgeprobe {

// Returns the verdict and the index of the address that decided it.
std::pair<verdict, std::size_t> combine_addresses(const std::vector<address_result>& addresses,
                                                  address_mode mode);

} // namespace edgeprobe
