// Writes a JSON document piece by piece, in exactly the layout of nlohmann's
// dump(2), so a report of 10,000 checks is never held whole in memory. Plain
// keys, ASCII strings and numbers are written directly; anything else goes
// through nlohmann, which escapes it and replaces invalid UTF-8 (a peer's banner
// may hold anything) instead of throwing.
#pragma once
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

class json_stream {
public:
  explicit json_stream(std::ostream& out) : out_(out) {}
  // A stream that writes a piece of another stream's document: `open`
  // containers are open around it, and the innermost already holds an element
  // when `continues`. The piece is byte for byte what the other stream would
  // have written there, so pieces written apart can be spliced in order.
  json_stream(std::ostream& out, std::size_t open, bool continues) : out_(out), empty_(open, false) {
    if (!empty_.empty()) empty_.back() = !continues;
  }
  ~json_stream() { flush(); }
  json_stream(const json_stream&) = delete;
  json_stream& operator=(const json_stream&) = delete;

  void open_object() { open('{'); }
  void close_object() { close('}'); }
  void open_array() { open('['); }
  void close_array() { close(']'); }

  // Starts the next member of the open object; its value follows. `name` is
  // one of the document's own keys: letters, digits and '_' only.
  void key(std::string_view name);
  // Starts the next element of the open array; its value follows.
  void element();

  // A member with its value: key(name), then value(v).
  template <class T> void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  void value(const nlohmann::json& v) { write_tree(v); }
  void value(const nlohmann::ordered_json& v) { write_tree(v); }
  void value(std::string_view text);
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(double number);
  void value(long long number);
  void value(unsigned long long number);
  void value(int number) { value(static_cast<long long>(number)); }
  void null() { buffer_ += "null"; }
  void boolean(bool b) { buffer_ += b ? "true" : "false"; }
  // Starts the next member of the open object under a name that may need
  // escaping (a key from evidence); its value follows.
  void any_key(std::string_view name) {
    next_line();
    value(name);
    buffer_ += ": ";
  }

  // Writes a piece another stream wrote for this point of the document (see
  // the constructor above); the open container then holds elements.
  void splice(std::string_view piece);

  // Hands what is buffered to the stream (also done every 64 KB and at the end).
  void flush();

private:
  static constexpr int indent_step = 2;

  void open(char bracket);
  void close(char bracket);
  void next_line();
  void pad();
  // Walks a value with the writers above; nlohmann's serializer costs more per
  // value, and evidence has a few dozen values per check.
  template <class Json> void write_tree(const Json& v) {
    switch (v.type()) {
    case nlohmann::json::value_t::object:
      open_object();
      for (const auto& [k, member] : v.items()) {
        any_key(k);
        write_tree(member);
      }
      close_object();
      return;
    case nlohmann::json::value_t::array:
      open_array();
      for (const auto& element : v) {
        next_line();
        write_tree(element);
      }
      close_array();
      return;
    case nlohmann::json::value_t::string: return value(std::string_view(v.template get_ref<const std::string&>()));
    case nlohmann::json::value_t::number_integer: return value(static_cast<long long>(v.template get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return value(static_cast<unsigned long long>(v.template get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float: return value(v.template get<double>());
    case nlohmann::json::value_t::boolean: return boolean(v.template get<bool>());
    case nlohmann::json::value_t::null: return null();
    default: // binary and discarded values: as nlohmann writes them
      return write_indented(v.dump(indent_step, ' ', false, Json::error_handler_t::replace));
    }
  }
  void write_indented(const std::string& dumped);

  std::ostream& out_;
  std::string buffer_;
  std::vector<bool> empty_; // per open container: nothing written in it yet
};

} // namespace edgeprobe
