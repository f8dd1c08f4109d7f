// Shared XML plumbing for the Autodiscover (POX, SOAP) and EWS codecs: loading
// a hostile body into pugixml with the limits every parser applies, looking
// elements up by local name, copying bounded text out, and serialising built
// documents. Pure functions over strings, no I/O, nothing throws.
//
// Element names are matched by LOCAL name (any prefix stripped) and without
// regard to ASCII case: servers write the same element as <s:Body>,
// <soap:Body> or <Body xmlns="...">, and Microsoft's own pages spell the POX
// redirect element both RedirectUrl and RedirectURL. Namespaces are not checked
// for the same reason (the documentation itself mixes http:// and https://
// namespace URIs).
#pragma once
#include "wire/decoded.hpp"

#include <pugixml.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe::xml {

// Limits on what a parser accepts from the network and copies out of it.
constexpr std::size_t max_body = 1024 * 1024; // a real Autodiscover/EWS answer is a few KiB
constexpr std::size_t max_field = 2048;       // one URL, code, address or message
constexpr std::size_t max_items = 256;        // protocols, settings, requested settings

// The binary codecs' result type: error.what says why a body was not what the
// parser expected (what was expected and what was found). XML errors name an
// element, not a byte, so error.offset stays 0.
template <class T> using parsed = wire::decoded<T>;

template <class T>
parsed<T> failure(std::string what) {
  return parsed<T>{std::nullopt, wire::failure{0, std::move(what)}};
}

template <class T>
parsed<T> success(T value) {
  return parsed<T>{std::move(value), {}};
}

// Loads `body` into `doc`. Returns "" on success, else why not, phrased against
// `expected` (e.g. "an Autodiscover response"): empty, oversize, HTML, JSON,
// a DTD, or not well-formed XML (pugixml's description and byte offset).
std::string load(pugi::xml_document& doc, std::string_view body, std::string_view expected);

// The part of a qualified name after the last ':'.
std::string_view local_name(std::string_view qualified);

// Whether `node` is an element whose local name is `name` (ASCII case ignored).
bool named(pugi::xml_node node, std::string_view name);

// First child element called `name`, or an empty node.
pugi::xml_node child(pugi::xml_node parent, std::string_view name);

// First element called `name` below `root` in document order (iterative, so
// deep nesting cannot exhaust the stack), or an empty node.
pugi::xml_node descendant(pugi::xml_node root, std::string_view name);

// First element below `root` (document order) carrying attribute `attribute`.
pugi::xml_node descendant_with_attribute(pugi::xml_node root, std::string_view attribute);

// First attribute called `name` (local name, case ignored), or an empty attribute.
pugi::xml_attribute attribute(pugi::xml_node node, std::string_view name);

// The first element child, whatever its name.
pugi::xml_node first_element(pugi::xml_node parent);

// Text content of `node` (its first text or CDATA child), whitespace-trimmed.
// A message is cut to max_field bytes on a UTF-8 boundary; an identifier (URL,
// address, code) longer than max_field is refused: nullopt. A cut URL would be
// a different URL, so it is better reported as unusable than used.
std::string message_text(pugi::xml_node node);
std::optional<std::string> identifier_text(pugi::xml_node node);
std::optional<std::string> identifier_text(pugi::xml_attribute attribute);

// "<Name>" of an element, bounded, for error messages about what was found.
std::string describe(pugi::xml_node node);

// Serialises a built document: an XML declaration with encoding="utf-8", no
// indentation. pugixml escapes &, <, > (and " in attributes) and writes
// control characters as character references; text stops at a NUL byte.
std::string serialize(const pugi::xml_document& doc);

// Adds <?xml version="1.0" encoding="utf-8"?> to an empty document.
void add_declaration(pugi::xml_document& doc);

// Appends an element child named `name` with text `text`; returns it.
pugi::xml_node append_text(pugi::xml_node parent, const char* name, std::string_view text);

} // namespace edgeprobe::xml
