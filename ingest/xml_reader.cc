// ingest/xml_reader.cc — xmlTextReader with hostile-input options (see xml_reader.h).
#include "ingest/xml_reader.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <cstring>
#include <mutex>

namespace trove::ingest {
namespace {

void init_libxml_once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string_view sv(const xmlChar* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

}  // namespace

struct XmlReader::Impl {
  xmlTextReaderPtr reader = nullptr;
  std::string first_error;
  ~Impl() {
    if (reader) xmlFreeTextReader(reader);
  }
  static void on_error(void* ctx, xmlErrorPtr e) {
    auto* self = static_cast<Impl*>(ctx);
    if (!e || e->level < XML_ERR_ERROR || !self->first_error.empty()) return;
    std::string msg = e->message ? e->message : "XML error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    self->first_error = "line " + std::to_string(e->line) + ": " + msg;
  }
};

XmlReader::XmlReader(std::string_view xml, std::string part_name)
    : impl_(std::make_unique<Impl>()), part_(std::move(part_name)) {
  init_libxml_once();
  constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE;
  if (xml.size() > static_cast<size_t>(INT32_MAX)) {
    error_ = part_ + ": XML part too large";
    return;
  }
  impl_->reader = xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                     kOptions);
  if (!impl_->reader) {
    error_ = part_ + ": libxml2 could not start reading";
    return;
  }
  xmlTextReaderSetStructuredErrorHandler(impl_->reader, &Impl::on_error, impl_.get());
}

XmlReader::~XmlReader() = default;

bool XmlReader::next() {
  if (!ok() || !impl_->reader) return false;
  for (;;) {
    int r = xmlTextReaderRead(impl_->reader);
    if (r != 1) {
      if (r < 0 || !impl_->first_error.empty()) {
        error_ = part_ + ": " +
                 (impl_->first_error.empty() ? std::string("malformed XML") : impl_->first_error);
      }
      node_ = Node::kOther;
      return false;
    }
    if (!impl_->first_error.empty()) {  // a fatal error reported while reading on
      error_ = part_ + ": " + impl_->first_error;
      return false;
    }
    switch (xmlTextReaderNodeType(impl_->reader)) {
      case XML_READER_TYPE_ELEMENT:
        node_ = Node::kStart;
        return true;
      case XML_READER_TYPE_END_ELEMENT:
        node_ = Node::kEnd;
        return true;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        node_ = Node::kText;
        return true;
      default:
        continue;  // comments, PIs, entity references (never expanded), doctype
    }
  }
}

std::string_view XmlReader::name() const {
  return sv(xmlTextReaderConstLocalName(impl_->reader));
}

std::string_view XmlReader::ns() const {
  return sv(xmlTextReaderConstNamespaceUri(impl_->reader));
}

bool XmlReader::is_start(std::string_view local, std::string_view ns_uri) const {
  return node_ == Node::kStart && name() == local && ns() == ns_uri;
}

bool XmlReader::is_end(std::string_view local, std::string_view ns_uri) const {
  // An empty element (<w:br/>) has no end node: report it as ending right away too.
  if (node_ == Node::kStart && xmlTextReaderIsEmptyElement(impl_->reader) == 1)
    return name() == local && ns() == ns_uri;
  return node_ == Node::kEnd && name() == local && ns() == ns_uri;
}

std::string_view XmlReader::text() const {
  if (node_ != Node::kText) return {};
  return sv(xmlTextReaderConstValue(impl_->reader));
}

std::string XmlReader::attr(std::string_view local, std::string_view ns_uri) const {
  std::string l(local), n(ns_uri);
  xmlChar* v = n.empty() ? xmlTextReaderGetAttribute(impl_->reader, BAD_CAST l.c_str())
                         : xmlTextReaderGetAttributeNs(impl_->reader, BAD_CAST l.c_str(),
                                                       BAD_CAST n.c_str());
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

int XmlReader::depth() const {
  return xmlTextReaderDepth(impl_->reader);
}

bool xml_declares_entities(std::string_view xml) {
  std::string_view head = xml.substr(0, 1 << 16);
  size_t doctype = head.find("<!DOCTYPE");
  return doctype != std::string_view::npos && head.find("<!ENTITY", doctype) != std::string_view::npos;
}

}  // namespace trove::ingest
