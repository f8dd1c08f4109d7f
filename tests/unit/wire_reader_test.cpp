// wire::reader, wire::writer and wire::decoding: the toolkit every binary
// codec is built on. What the codecs rely on: no read goes past the end, a
// failure names the offset where the bytes ran out, both byte orders read and
// write the same values, and a patch lands where it was aimed.
#include "wire/decoded.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

using namespace edgeprobe;

namespace {

using bytes = std::vector<std::uint8_t>;

// The failure a read throws, or a failed check when it throws none.
template <class F> wire::failure failure_of(F&& read) {
  try {
    read();
  } catch (const wire::failure& f) {
    return f;
  }
  FAIL("no wire::failure thrown");
  return {};
}

} // namespace

TEST_CASE("wire::reader: integers in both byte orders") {
  const bytes b{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  wire::reader be(b);
  CHECK(be.u16("x") == 0x0102);
  CHECK(be.u16le("x") == 0x0403); // an explicit order wins over the reader's
  CHECK(be.u32be("x") == 0x05060708u);
  CHECK(be.at_end());

  wire::reader le(b, wire::byte_order::little);
  CHECK(le.u32("x") == 0x04030201u);
  CHECK(le.u32be("x") == 0x05060708u);

  CHECK(wire::reader(b).u64("x") == 0x0102030405060708ull);
  CHECK(wire::reader(b, wire::byte_order::little).u64("x") == 0x0807060504030201ull);
  CHECK(wire::reader(b).u64le("x") == 0x0807060504030201ull);
  CHECK(wire::reader(b, wire::byte_order::little).u64be("x") == 0x0102030405060708ull);

  // DCE/RPC learns the order from the data representation byte mid-header.
  wire::reader switching(b);
  CHECK(switching.u8("x") == 0x01);
  switching.set_order(wire::byte_order::little);
  CHECK(switching.order() == wire::byte_order::little);
  CHECK(switching.u16("x") == 0x0302);
}

TEST_CASE("wire::reader: reading past the end throws at the offset where the bytes ran out") {
  const bytes b{0xAA, 0xBB, 0xCC};
  wire::reader in(b);
  CHECK(in.u8("x") == 0xAA);
  const auto f = failure_of([&] { in.u32("the TTL"); });
  CHECK(f.offset == 1);
  CHECK(f.what == "ends before the TTL");
  CHECK(in.pos() == 1); // a failed read does not move
  CHECK(in.remaining() == 2);

  CHECK(failure_of([&] { in.take(3, "the rdata"); }).offset == 1);
  CHECK(failure_of([&] { in.skip(3, "padding"); }).offset == 1);
  CHECK(in.take(2, "x").size() == 2);
  CHECK(failure_of([&] { in.u8("a byte"); }).offset == 3);
  CHECK(in.rest().empty());

  // The subject names what ran out; the base makes offsets message offsets.
  wire::reader named(b, wire::byte_order::big, 100);
  named.subject("message");
  named.skip(2, "x");
  const auto g = failure_of([&] { named.u16("a 16-bit field"); });
  CHECK(g.offset == 102);
  CHECK(g.what == "message ends before a 16-bit field");

  CHECK(failure_of([&] { wire::reader(bytes{}).need(1, "anything"); }).offset == 0);
}

TEST_CASE("wire::reader: seek, at and align stay inside the bytes") {
  const bytes b{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  wire::reader in(b, wire::byte_order::big, 20);
  in.seek(6, "an option offset");
  CHECK(in.index() == 6);
  CHECK(in.pos() == 26);
  CHECK(in.u8("x") == 6);
  in.seek(10, "the end"); // the end itself is a place to be
  CHECK(in.at_end());

  const auto f = failure_of([&] { in.seek(11, "a compression pointer"); });
  CHECK(f.offset == 30); // where the reader stood
  CHECK(f.what == "a compression pointer at 31 lies past the end (30)");

  // at(): a read elsewhere, without moving the reader.
  wire::reader from(b);
  from.skip(1, "x");
  CHECK(from.at(8, "a field").u16("a field") == 0x0809);
  CHECK(from.index() == 1);
  CHECK(failure_of([&] { from.at(9, "a field").u16("a field"); }).offset == 9);
  CHECK(failure_of([&] { (void)from.at(12, "a field"); }).offset == 1);

  // align() counts from the start of the bytes given, not from the base.
  from.align(4, "padding");
  CHECK(from.index() == 4);
  from.align(4, "padding");
  CHECK(from.index() == 4);
  from.seek(9, "x");
  CHECK(failure_of([&] { from.align(4, "the padding"); }).what == "ends before the padding");
}

TEST_CASE("wire::writer: integers, bytes, padding and patches") {
  wire::writer w;
  w.u8(0x01);
  w.u16(0x0203);
  w.u16le(0x0203);
  w.u32be(0x04050607);
  w.u32le(0x04050607);
  CHECK(w.take() == bytes{0x01, 0x02, 0x03, 0x03, 0x02, 0x04, 0x05, 0x06, 0x07, 0x07, 0x06, 0x05, 0x04});
  CHECK(w.size() == 0);

  wire::writer le(wire::byte_order::little);
  le.u64(0x0102030405060708ull);
  le.u64be(0x0102030405060708ull);
  CHECK(le.take() == bytes{8, 7, 6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6, 7, 8});

  wire::writer p(wire::byte_order::little);
  p.u8(0xEE);
  const std::size_t length_at = p.size();
  p.u16(0); // a length, known once the body is written
  p.text("abc");
  p.align(4);
  CHECK(p.size() == 8);
  p.patch_u16(length_at, static_cast<std::uint16_t>(p.size() - length_at - 2));
  p.patch_u16be(6, 0x0A0B);
  p.patch_u8(0, 0xFF);
  CHECK(p.view().size() == 8);
  CHECK(bytes(p.view().begin(), p.view().end()) == bytes{0xFF, 0x05, 0x00, 'a', 'b', 'c', 0x0A, 0x0B});
  const std::uint8_t two[] = {0x11, 0x22};
  p.patch_bytes(3, two);
  p.patch_u32le(4, 0x44332211);
  CHECK(p.take() == bytes{0xFF, 0x05, 0x00, 0x11, 0x11, 0x22, 0x33, 0x44});

  // A patch outside what was written is a bug in the encoder, not a longer message.
  wire::writer small;
  small.u8(0);
  CHECK_THROWS_AS(small.patch_u16(0, 1), std::out_of_range);
  CHECK_THROWS_AS(small.patch_u8(1, 1), std::out_of_range);
  CHECK(small.size() == 1);
}

TEST_CASE("wire::writer and wire::reader agree") {
  wire::writer w(wire::byte_order::little);
  w.u16(0xBEEF);
  w.u32be(0xDEADBEEF);
  w.u64(42);
  w.zeros(3);
  const auto out = w.take();
  wire::reader in(out, wire::byte_order::little);
  CHECK(in.u16("x") == 0xBEEF);
  CHECK(in.u32be("x") == 0xDEADBEEFu);
  CHECK(in.u64("x") == 42);
  CHECK(in.take(3, "x").size() == 3);
  CHECK(in.at_end());
}

TEST_CASE("wire::decoding turns a thrown failure into a value") {
  const auto ok = wire::decoding([] { return 7; });
  REQUIRE(ok);
  CHECK(*ok.value == 7);
  CHECK(ok.error.what.empty());

  const bytes b{1, 2};
  const auto cut = wire::decoding([&] {
    wire::reader in(b);
    in.subject("message");
    return in.u32("a 32-bit field");
  });
  CHECK_FALSE(cut);
  CHECK(cut.error.offset == 0);
  CHECK(cut.error.what == "message ends before a 32-bit field");

  // T given: the function's result converts to it.
  const auto wide = wire::decoding<long>([] { return 3; });
  static_assert(std::is_same_v<decltype(wide), const wire::decoded<long>>);
  CHECK(*wide.value == 3);

  // Anything else thrown is a bug and goes on up.
  CHECK_THROWS_AS(wire::decoding([]() -> int { throw std::logic_error("bug"); }), std::logic_error);
}
