#include "wire/writer.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace edgeprobe::wire {

namespace {

void check_inside(std::size_t at, std::size_t n, std::size_t size) {
  if (at > size || n > size - at)
    throw std::out_of_range("wire::writer: patching " + std::to_string(n) + " bytes at " + std::to_string(at) +
                            " of " + std::to_string(size) + " written");
}

} // namespace

void writer::patch(std::size_t at, std::uint64_t v, std::size_t n, byte_order order) {
  check_inside(at, n, out_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t shift = 8 * (order == byte_order::big ? n - 1 - i : i);
    out_[at + i] = static_cast<std::uint8_t>(v >> shift);
  }
}

void writer::patch_bytes(std::size_t at, std::span<const std::uint8_t> b) {
  check_inside(at, b.size(), out_.size());
  std::copy(b.begin(), b.end(), out_.begin() + static_cast<std::ptrdiff_t>(at));
}

} // namespace edgeprobe::wire
