// One byte writer for every binary encoder: integers in either byte order,
// raw bytes, zero padding, and patching a field written earlier (a length or
// an offset only known once what it describes has been written).
#pragma once
#include "wire/byte_order.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeprobe::wire {

class writer {
public:
  // `order` is what u16/u32/u64 and patch_u16/patch_u32 write.
  explicit writer(byte_order order = byte_order::big) : order_(order) {}

  std::size_t size() const { return out_.size(); }
  std::span<const std::uint8_t> view() const { return out_; }
  byte_order order() const { return order_; }
  // The bytes written; the writer is empty afterwards.
  std::vector<std::uint8_t> take() { return std::move(out_); }

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { integer(v, 2, order_); }
  void u32(std::uint32_t v) { integer(v, 4, order_); }
  void u64(std::uint64_t v) { integer(v, 8, order_); }
  void u16be(std::uint16_t v) { integer(v, 2, byte_order::big); }
  void u32be(std::uint32_t v) { integer(v, 4, byte_order::big); }
  void u64be(std::uint64_t v) { integer(v, 8, byte_order::big); }
  void u16le(std::uint16_t v) { integer(v, 2, byte_order::little); }
  void u32le(std::uint32_t v) { integer(v, 4, byte_order::little); }
  void u64le(std::uint64_t v) { integer(v, 8, byte_order::little); }

  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
  // Zeros up to the next multiple of `to`, counted from the first byte written.
  void align(std::size_t to) { zeros((to - out_.size() % to) % to); }

  // Overwrite bytes already written, at `at` from the first one. A patch that
  // does not lie inside what was written is a bug in the encoder: it throws
  // std::out_of_range rather than grow the message.
  void patch_u8(std::size_t at, std::uint8_t v) { patch(at, v, 1, order_); }
  void patch_u16(std::size_t at, std::uint16_t v) { patch(at, v, 2, order_); }
  void patch_u32(std::size_t at, std::uint32_t v) { patch(at, v, 4, order_); }
  void patch_u16be(std::size_t at, std::uint16_t v) { patch(at, v, 2, byte_order::big); }
  void patch_u32be(std::size_t at, std::uint32_t v) { patch(at, v, 4, byte_order::big); }
  void patch_u16le(std::size_t at, std::uint16_t v) { patch(at, v, 2, byte_order::little); }
  void patch_u32le(std::size_t at, std::uint32_t v) { patch(at, v, 4, byte_order::little); }
  void patch_bytes(std::size_t at, std::span<const std::uint8_t> b);

private:
  void integer(std::uint64_t v, std::size_t n, byte_order order) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t shift = 8 * (order == byte_order::big ? n - 1 - i : i);
      out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
  }
  void patch(std::size_t at, std::uint64_t v, std::size_t n, byte_order order);

  std::vector<std::uint8_t> out_;
  byte_order order_;
};

} // namespace edgeprobe::wire
