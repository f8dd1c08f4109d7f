// One bounds-checked reader for every binary decoder. Each read first checks
// the bytes that remain and throws wire::failure at the current offset when
// they do not suffice, so a count or length from the wire can make decoding
// stop, never read past the end. Codecs phrase their own errors for what the
// protocol says is wrong; the reader only phrases "ends before <what>".
#pragma once
#include "wire/byte_order.hpp"
#include "wire/decoded.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace edgeprobe::wire {

class reader {
public:
  // `order` is what u16/u32/u64 read; u16be, u16le and the like read one
  // order whatever it is. `base` is added to every offset the reader reports,
  // for a reader over part of a larger message (a tower inside a stub).
  explicit reader(std::span<const std::uint8_t> bytes, byte_order order = byte_order::big, std::size_t base = 0)
      : bytes_(bytes), order_(order), base_(base) {}

  // What the bytes are called in "<subject> ends before <what>"; none by
  // default ("ends before <what>"). A string literal: it is not copied.
  reader& subject(std::string_view name) {
    subject_ = name;
    return *this;
  }

  std::size_t pos() const { return base_ + index_; } // the offset failures report
  std::size_t index() const { return index_; }        // within the bytes given
  std::size_t size() const { return bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - index_; }
  bool at_end() const { return index_ == bytes_.size(); }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  byte_order order() const { return order_; }
  void set_order(byte_order order) { order_ = order; }

  // Throws failure{pos(), "<subject> ends before <what>"} unless n bytes remain.
  void need(std::size_t n, std::string_view what) const {
    if (remaining() < n) ends_before(what);
  }
  [[noreturn]] void fail(std::string what) const { throw failure{pos(), std::move(what)}; }

  std::uint8_t u8(std::string_view what) {
    need(1, what);
    return bytes_[index_++];
  }
  std::uint16_t u16(std::string_view what) { return static_cast<std::uint16_t>(integer(2, order_, what)); }
  std::uint32_t u32(std::string_view what) { return static_cast<std::uint32_t>(integer(4, order_, what)); }
  std::uint64_t u64(std::string_view what) { return integer(8, order_, what); }
  std::uint16_t u16be(std::string_view what) { return static_cast<std::uint16_t>(integer(2, big, what)); }
  std::uint32_t u32be(std::string_view what) { return static_cast<std::uint32_t>(integer(4, big, what)); }
  std::uint64_t u64be(std::string_view what) { return integer(8, big, what); }
  std::uint16_t u16le(std::string_view what) { return static_cast<std::uint16_t>(integer(2, little, what)); }
  std::uint32_t u32le(std::string_view what) { return static_cast<std::uint32_t>(integer(4, little, what)); }
  std::uint64_t u64le(std::string_view what) { return integer(8, little, what); }

  // The next n bytes, as a view into the input.
  std::span<const std::uint8_t> take(std::size_t n, std::string_view what) {
    need(n, what);
    const auto out = bytes_.subspan(index_, n);
    index_ += n;
    return out;
  }
  void skip(std::size_t n, std::string_view what) { take(n, what); }
  // Everything left (possibly nothing).
  std::span<const std::uint8_t> rest() {
    const auto out = bytes_.subspan(index_);
    index_ = bytes_.size();
    return out;
  }
  // Skips to the next multiple of `to`, counted from the start of the bytes
  // given (NDR aligns relative to the stub, not to the PDU around it).
  void align(std::size_t to, std::string_view what) { skip((to - index_ % to) % to, what); }

  // Moves to `index` in the bytes given; the end itself is allowed. For
  // protocols that point at their data: DNS compression pointers, TDS option
  // offsets, NTLM offset+length fields.
  void seek(std::size_t index, std::string_view what) {
    if (index > bytes_.size()) past_end(index, what);
    index_ = index;
  }
  // A copy of this reader moved to `index`, for a read at an absolute offset
  // that leaves this one where it is: in.at(12).u32le("NegotiateFlags").
  reader at(std::size_t index, std::string_view what) const {
    reader out = *this;
    out.seek(index, what);
    return out;
  }

private:
  static constexpr byte_order big = byte_order::big, little = byte_order::little;

  std::uint64_t integer(std::size_t n, byte_order order, std::string_view what) {
    need(n, what);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = order == byte_order::big ? i : n - 1 - i;
      v = v << 8 | bytes_[index_ + k];
    }
    index_ += n;
    return v;
  }

  // Out of line: the error text is built only on the failing path.
  [[noreturn]] void ends_before(std::string_view what) const;
  [[noreturn]] void past_end(std::size_t index, std::string_view what) const;

  std::span<const std::uint8_t> bytes_;
  byte_order order_;
  std::size_t base_;
  std::size_t index_ = 0;
  std::string_view subject_;
};

} // namespace edgeprobe::wire
