// ingest/xml_reader.h — a safe pull parser over one XML part (libxml2's xmlTextReader).
//
// Hostile-input settings, always: no network (XML_PARSE_NONET), no DTD loading, no
// entity substitution (an entity reference stays a reference and is skipped, so
// neither "billion laughs" nor an external entity pointing at file:///etc/passwd is
// ever expanded), libxml2's default depth and text-node limits (no XML_PARSE_HUGE).
// Errors and warnings are collected, never printed.
//
//   XmlReader r(xml, "word/document.xml");
//   while (r.next()) {
//     if (r.is_start("p", kWordNs)) ...
//   }
//   if (!r.ok()) return fail(r.error());   // "word/document.xml: line 3: ..."
//
// Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace trove::ingest {

class XmlReader {
 public:
  enum class Node { kOther, kStart, kEnd, kText };

  XmlReader(std::string_view xml, std::string part_name);
  ~XmlReader();
  XmlReader(const XmlReader&) = delete;
  XmlReader& operator=(const XmlReader&) = delete;

  // Advances to the next node; false at the end or on an error (see ok()).
  bool next();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  Node node() const { return node_; }
  // Local name and namespace URI of the current element ("" for text).
  std::string_view name() const;
  std::string_view ns() const;
  bool is_start(std::string_view local, std::string_view ns_uri) const;
  bool is_end(std::string_view local, std::string_view ns_uri) const;
  // Text (or whitespace, or CDATA) content of the current text node.
  std::string_view text() const;
  // Attribute value by local name and namespace URI ("" namespace: unprefixed); "" if absent.
  std::string attr(std::string_view local, std::string_view ns_uri = {}) const;
  int depth() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string part_;
  std::string error_;
  Node node_ = Node::kOther;
};

// Whether the bytes declare a DTD with entities (used to reject XXE attempts loudly).
bool xml_declares_entities(std::string_view xml);

}  // namespace trove::ingest
