#include "core/json_stream.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace edgeprobe {

namespace {

constexpr std::size_t flush_at = 64 * 1024;

// What nlohmann would write unchanged between the quotes.
bool plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

} // namespace

void json_stream::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void json_stream::splice(std::string_view piece) {
  if (piece.empty()) return;
  flush();
  out_.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  empty_.back() = false;
}

void json_stream::pad() { buffer_.append(empty_.size() * indent_step, ' '); }

void json_stream::open(char bracket) {
  buffer_ += bracket;
  empty_.push_back(true);
}

void json_stream::close(char bracket) {
  const bool was_empty = empty_.back();
  empty_.pop_back();
  if (!was_empty) {
    buffer_ += '\n';
    pad();
  }
  buffer_ += bracket;
  if (buffer_.size() >= flush_at) flush();
}

void json_stream::next_line() {
  if (!empty_.back()) buffer_ += ',';
  empty_.back() = false;
  buffer_ += '\n';
  pad();
}

void json_stream::key(std::string_view name) {
  next_line();
  buffer_ += '"';
  buffer_ += name;
  buffer_ += "\": ";
}

void json_stream::element() { next_line(); }

void json_stream::value(std::string_view text) {
  if (!plain_ascii(text))
    return write_indented(nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  buffer_ += '"';
  buffer_ += text;
  buffer_ += '"';
}

namespace {

template <class Integer> void append_integer(std::string& out, Integer number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, end);
}

} // namespace

void json_stream::value(long long number) { append_integer(buffer_, number); }

void json_stream::value(unsigned long long number) { append_integer(buffer_, number); }

// nlohmann writes the shortest digits that read back the same, in fixed
// notation for the document's magnitudes, with ".0" on whole numbers; so does
// this. Exponents and non-finite values are left to nlohmann itself.
void json_stream::value(double number) {
  char digits[32];
  const auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
  const std::string_view text(digits, static_cast<std::size_t>(end - digits));
  if (error != std::errc() || !std::isfinite(number) || text.find_first_of("eE") != std::string_view::npos)
    return write_indented(nlohmann::json(number).dump());
  buffer_ += text;
  if (text.find('.') == std::string_view::npos) buffer_ += ".0";
}

// A nested value was dumped as if it stood alone; its inner lines move right by
// the depth it is written at.
void json_stream::write_indented(const std::string& dumped) {
  std::size_t from = 0;
  for (auto at = dumped.find('\n'); at != std::string::npos; at = dumped.find('\n', from)) {
    buffer_.append(dumped, from, at + 1 - from);
    pad();
    from = at + 1;
  }
  buffer_.append(dumped, from);
}

} // namespace edgeprobe
