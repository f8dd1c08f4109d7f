// Loading hostile bodies with limits, local-name lookup and bounded text for
// the Autodiscover and EWS codecs (see xml_util.hpp).
#include "probes/ews/xml_util.hpp"

#include "wire/ascii.hpp"

#include <algorithm>
#include <string>

namespace edgeprobe::xml {

namespace {

// The body without a UTF-8 byte order mark and leading whitespace: what a
// person would call its beginning.
std::string_view beginning(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  while (!body.empty() && is_ascii_space(body.front())) body.remove_prefix(1);
  return body;
}

std::string html_page(std::string_view expected) {
  return "an HTML page, not " + std::string(expected) +
         " (a login page, or an error page from a proxy or load balancer?)";
}

bool looks_like_html(std::string_view start) {
  return istarts_with_ascii(start, "<!doctype html") || istarts_with_ascii(start, "<html");
}

// The longest prefix of `s` of at most `limit` bytes that does not end inside
// a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return s;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

template <class Predicate>
pugi::xml_node find_below(pugi::xml_node root, Predicate matches) {
  pugi::xml_node at = root.first_child();
  while (at) {
    if (at.type() == pugi::node_element && matches(at)) return at;
    if (at.first_child()) {
      at = at.first_child();
      continue;
    }
    while (at && at != root && !at.next_sibling()) at = at.parent();
    if (!at || at == root) break;
    at = at.next_sibling();
  }
  return {};
}

struct string_writer final : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
};

} // namespace

std::string load(pugi::xml_document& doc, std::string_view body, std::string_view expected) {
  const std::string wanted(expected);
  if (body.size() > max_body)
    return "body is " + std::to_string(body.size()) + " bytes, more than the " + std::to_string(max_body) +
           " accepted for " + wanted;
  const std::string_view start = beginning(body);
  if (start.empty()) return "empty body, not " + wanted;
  if (looks_like_html(start)) return html_page(expected);
  if (start.front() == '{' || start.front() == '[')
    return "JSON, not XML: not " + wanted + " (an Autodiscover v2 or REST endpoint?)";

  // A DTD is refused outright. pugixml neither expands external entities nor
  // defines internal ones, but a document that declares entities means
  // something else to a DTD-aware client than to us (and is the vehicle of
  // entity-expansion and XXE attacks); no Autodiscover or EWS message has one.
  if (ifind_ascii(body.substr(0, 4096), "<!doctype html") != std::string_view::npos) return html_page(expected);
  for (const std::string_view marker : {"<!DOCTYPE", "<!ENTITY"}) {
    if (const auto at = ifind_ascii(body, marker); at != std::string_view::npos)
      return "a document type declaration (" + std::string(marker) + ") at offset " + std::to_string(at) +
             ": DTDs are refused, and " + wanted + " has none";
  }

  const pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_auto);
  if (!result) {
    // Many HTML pages are not well-formed XML: say what they are, not where XML broke.
    if (ifind_ascii(body.substr(0, 4096), "<html") != std::string_view::npos) return html_page(expected);
    return "not XML: " + std::string(result.description()) + " at offset " + std::to_string(result.offset) +
           ", not " + wanted;
  }
  // Caught here too when another encoding (UTF-16) hid it from the byte search.
  for (const pugi::xml_node node : doc.children())
    if (node.type() == pugi::node_doctype) return "a document type declaration: DTDs are refused, and " + wanted + " has none";

  const pugi::xml_node root = doc.document_element();
  if (!root) return "no root element, not " + wanted;
  if (named(root, "html")) return html_page(expected);
  return {};
}

std::string_view local_name(std::string_view qualified) {
  const auto colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

bool named(pugi::xml_node node, std::string_view name) {
  return node.type() == pugi::node_element && iequals_ascii(local_name(node.name()), name);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (const pugi::xml_node node : parent.children())
    if (named(node, name)) return node;
  return {};
}

pugi::xml_node descendant(pugi::xml_node root, std::string_view name) {
  return find_below(root, [name](pugi::xml_node node) { return named(node, name); });
}

pugi::xml_node descendant_with_attribute(pugi::xml_node root, std::string_view name) {
  return find_below(root, [name](pugi::xml_node node) { return !attribute(node, name).empty(); });
}

pugi::xml_attribute attribute(pugi::xml_node node, std::string_view name) {
  for (const pugi::xml_attribute a : node.attributes())
    if (iequals_ascii(local_name(a.name()), name)) return a;
  return {};
}

pugi::xml_node first_element(pugi::xml_node parent) {
  for (const pugi::xml_node node : parent.children())
    if (node.type() == pugi::node_element) return node;
  return {};
}

std::string message_text(pugi::xml_node node) {
  return std::string(trim_ascii_space(cut_utf8(trim_ascii_space(node.child_value()), max_field)));
}

std::optional<std::string> identifier_text(pugi::xml_node node) {
  const std::string_view text = trim_ascii_space(node.child_value());
  if (text.size() > max_field) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> identifier_text(pugi::xml_attribute a) {
  const std::string_view text = trim_ascii_space(a.value());
  if (text.size() > max_field) return std::nullopt;
  return std::string(text);
}

std::string describe(pugi::xml_node node) {
  return "<" + std::string(cut_utf8(node.name(), 64)) + ">";
}

std::string serialize(const pugi::xml_document& doc) {
  string_writer writer;
  doc.save(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return std::move(writer.out);
}

void add_declaration(pugi::xml_document& doc) {
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version").set_value("1.0");
  declaration.append_attribute("encoding").set_value("utf-8");
}

pugi::xml_node append_text(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(std::string(text).c_str());
  return node;
}

} // namespace edgeprobe::xml
