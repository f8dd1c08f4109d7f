// What every binary decoder returns: the value, or where decoding stopped and
// why. Decoders throw wire::failure from deep inside nested reads (a floor
// inside a tower inside a stub) and catch it once, at their public function,
// with wire::decoding: a lying length unwinds in one step, and no exception
// ever leaves a codec.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace edgeprobe::wire {

// Where decoding stopped (an offset into the bytes the public decoder was
// given) and why, phrased for evidence: "attribute 0x0020 at 20 runs past the end".
struct failure {
  std::size_t offset = 0;
  std::string what;
};

template <class T> struct decoded {
  std::optional<T> value;
  failure error; // meaningful when value is empty
  explicit operator bool() const { return value.has_value(); }
};

// Runs `decode` (no arguments, returns the value) and turns a wire::failure
// it throws into the error of the result. Anything else it throws is a bug
// and goes on up. T is what the function returns unless given, for a
// function that returns something T converts from (a PDU variant's member).
template <class T = void, class F> auto decoding(F&& decode) {
  using value_type = std::conditional_t<std::is_void_v<T>, std::remove_cvref_t<std::invoke_result_t<F&>>, T>;
  decoded<value_type> out;
  try {
    out.value.emplace(decode());
  } catch (failure& f) {
    out.error = std::move(f);
  }
  return out;
}

} // namespace edgeprobe::wire
