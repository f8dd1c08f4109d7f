#include "wire/reader.hpp"

namespace edgeprobe::wire {

void reader::ends_before(std::string_view what) const {
  std::string text(subject_);
  if (!text.empty()) text += ' ';
  text += "ends before ";
  text += what;
  fail(std::move(text));
}

void reader::past_end(std::size_t index, std::string_view what) const {
  fail(std::string(what) + " at " + std::to_string(base_ + index) + " lies past the end (" +
       std::to_string(base_ + bytes_.size()) + ")");
}

} // namespace edgeprobe::wire
