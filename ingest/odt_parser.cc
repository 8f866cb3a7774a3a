// ingest/odt_parser.cc — OpenDocument text (.odt .ott .odm): ODF XML in a ZIP.
//
// Parts: mimetype (must be an ODF text type), META-INF/manifest.xml (encrypted parts
// are refused as password-protected), content.xml (office:text), styles.xml (page
// headers and footers of the master pages) and meta.xml (properties → metadata).
// text:h with its outline level is a heading; text:p inside text:list-item a list
// item; text:note becomes "Footnote N: ..." / "Endnote N: ..." after its paragraph;
// office:annotation "Comment (author): ..."; text:s/tab/line-break are spaces, tabs and
// newlines; tracked deletions and tables of contents (a copy of the headings) are left
// out. Block assembly is OfficeWriter's (office_writer.h).
#include <algorithm>
#include <map>
#include <string>

#include "core/parse_int.h"
#include "ingest/office_writer.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"
#include "ingest/xml_reader.h"
#include "ingest/zip_parts.h"

namespace trove::ingest {
namespace {

constexpr std::string_view kText = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kStyle = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kMeta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";

class OdtParser {
 public:
  explicit OdtParser(std::string_view bytes) : bytes_(bytes) {}

  ParsedDocument run() {
    if (!zip_.open(bytes_)) return zip_.failed_document(DocType::kOdt);
    std::string mime, manifest;
    if (zip_.has("mimetype") && !zip_.read("mimetype", &mime))
      return zip_.failed_document(DocType::kOdt);
    mime = std::string(trim(mime));
    if (mime.rfind("application/vnd.oasis.opendocument.text", 0) != 0) {
      zip_.fail(FailReason::kMismatch,
                mime.empty() ? "a ZIP archive that is not an OpenDocument text"
                             : "an OpenDocument file of type " + mime + ", not a text document");
    } else if (part("META-INF/manifest.xml", &manifest, false) &&
               manifest.find("encryption-data") != std::string::npos) {
      zip_.fail(FailReason::kEncrypted, "password-protected (encrypted OpenDocument parts)");
    }
    if (zip_.reason() != FailReason::kNone || !read_body() || !read_master_pages() || !read_meta())
      return zip_.failed_document(DocType::kOdt);
    doc_.blocks = out_.finish();
    return std::move(doc_);
  }

 private:
  bool part(const std::string& name, std::string* xml, bool required) {
    return zip_.xml(name, xml, required);
  }
  bool set_fail(FailReason r, std::string why) { return zip_.fail(r, std::move(why)); }

  // Skips the current element's subtree (call on a non-empty start node).
  static void skip(XmlReader& r) {
    int depth = r.depth();
    while (r.next()) {
      if (r.node() == XmlReader::Node::kEnd && r.depth() == depth) return;
    }
  }

  static int attr_int(const XmlReader& r, std::string_view name, std::string_view ns, int dflt) {
    std::string v = r.attr(name, ns);
    return parse_int(v).value_or(dflt);
  }

  // Inline content shared by body paragraphs and notes.
  void inline_node(XmlReader& r) {
    if (r.node() == XmlReader::Node::kText) {
      out_.text() += r.text();
    } else if (r.is_start("s", kText)) {
      int n = std::clamp(attr_int(r, "c", kText, 1), 1, 1000);
      out_.text().append(static_cast<size_t>(n), ' ');
    } else if (r.is_start("tab", kText)) {
      out_.text() += '\t';
    } else if (r.is_start("line-break", kText)) {
      out_.text() += '\n';
    }
  }

  bool empty_start(const XmlReader& r) const { return r.is_end(r.name(), r.ns()); }

  void read_note(XmlReader& r) {
    std::string cls = r.attr("note-class", kText);
    std::string label = cls == "endnote" ? "Endnote" : "Footnote";
    std::string citation;
    int depth = r.depth();
    out_.begin_text();
    bool in_citation = false;
    while (r.next()) {
      if (r.node() == XmlReader::Node::kEnd && r.depth() == depth) break;
      if (r.is_start("note-citation", kText)) in_citation = !empty_start(r);
      if (r.node() == XmlReader::Node::kEnd && r.name() == "note-citation") in_citation = false;
      if (in_citation && r.node() == XmlReader::Node::kText) {
        citation += r.text();
        continue;
      }
      if (r.node() == XmlReader::Node::kEnd && r.name() == "p") out_.text() += ' ';
      inline_node(r);
    }
    std::string text = out_.end_text();
    citation = std::string(trim(citation));
    out_.note(citation.empty() ? label : label + " " + citation, text);
  }

  void read_annotation(XmlReader& r) {
    std::string author;
    int depth = r.depth();
    out_.begin_text();
    bool in_creator = false, in_date = false;
    while (r.next()) {
      if (r.node() == XmlReader::Node::kEnd && r.depth() == depth) break;
      if (r.is_start("creator", kDc)) in_creator = !empty_start(r);
      if (r.is_start("date", kDc)) in_date = !empty_start(r);
      if (r.node() == XmlReader::Node::kEnd && (r.name() == "creator" || r.name() == "date")) {
        in_creator = in_date = false;
        continue;
      }
      if (in_creator && r.node() == XmlReader::Node::kText) {
        author += r.text();
        continue;
      }
      if (in_date) continue;
      if (r.node() == XmlReader::Node::kEnd && r.name() == "p") out_.text() += ' ';
      inline_node(r);
    }
    std::string text = out_.end_text();
    author = normalize_whitespace(author);
    out_.note(author.empty() ? "Comment" : "Comment (" + author + ")", text);
  }

  struct Para {
    BlockKind kind;
    int level;
  };

  bool read_body() {
    std::string xml;
    if (!part("content.xml", &xml, true)) return false;
    XmlReader r(xml, "content.xml");
    bool in_body = false;
    int list_items = 0;
    std::vector<Para> paras;
    while (r.next()) {
      using N = XmlReader::Node;
      if (r.is_start("text", kOffice)) in_body = true;
      if (!in_body) continue;
      if (r.node() == N::kStart && !empty_start(r) &&
          ((r.ns() == kText && (r.name() == "tracked-changes" || r.name() == "table-of-content" ||
                                r.name() == "sequence-decls" || r.name() == "note-citation")) ||
           (r.ns() == kOffice && r.name() == "forms"))) {
        skip(r);
        continue;
      }
      if (r.is_start("note", kText) && !empty_start(r)) {
        read_note(r);
        continue;
      }
      if (r.is_start("annotation", kOffice) && !empty_start(r)) {
        read_annotation(r);
        continue;
      }
      if (r.is_start("h", kText)) {
        paras.push_back({BlockKind::kHeading, attr_int(r, "outline-level", kText, 1)});
        out_.begin_text();
      } else if (r.is_start("p", kText)) {
        std::string style = r.attr("style-name", kText);
        bool code = style.find("Preformatted") != std::string::npos ||
                    style.find("Source") != std::string::npos;
        paras.push_back({code               ? BlockKind::kCode
                         : list_items > 0 ? BlockKind::kListItem
                                          : BlockKind::kParagraph,
                         0});
        out_.begin_text();
      } else if (r.is_start("list-item", kText)) {
        ++list_items;
      } else if (r.is_start("table", kTable)) {
        out_.begin_table();
      } else if (r.is_start("table-row", kTable)) {
        out_.begin_row();
      } else if (r.is_start("table-cell", kTable)) {
        out_.begin_cell();
      } else {
        inline_node(r);
      }
      if ((r.is_end("p", kText) || r.is_end("h", kText)) && !paras.empty()) {
        Para p = paras.back();
        paras.pop_back();
        out_.paragraph(p.kind, p.level, out_.end_text());
      } else if (r.is_end("list-item", kText)) {
        --list_items;
      } else if (r.is_end("table-cell", kTable)) {
        out_.end_cell();
      } else if (r.is_end("table-row", kTable)) {
        out_.end_row();
      } else if (r.is_end("table", kTable)) {
        out_.end_table();
      } else if (r.is_end("text", kOffice)) {
        in_body = false;
      }
    }
    if (!r.ok()) return set_fail(FailReason::kParseError, r.error());
    return true;
  }

  bool read_master_pages() {
    std::string xml;
    if (!part("styles.xml", &xml, false)) return false;
    if (xml.empty()) return true;
    XmlReader r(xml, "styles.xml");
    while (r.next()) {
      std::string_view n = r.name();
      if (r.node() == XmlReader::Node::kStart && r.ns() == kStyle && !empty_start(r) &&
          (n == "header" || n == "footer" || n == "header-left" || n == "footer-left" ||
           n == "header-first" || n == "footer-first")) {
        std::string label = n.substr(0, 6) == "header" ? "Header" : "Footer";
        int depth = r.depth();
        out_.begin_text();
        while (r.next()) {
          if (r.node() == XmlReader::Node::kEnd && r.depth() == depth) break;
          if (r.node() == XmlReader::Node::kEnd && r.name() == "p") out_.text() += ' ';
          inline_node(r);
        }
        out_.header_footer(label, out_.end_text());
      }
    }
    if (!r.ok()) return set_fail(FailReason::kParseError, r.error());
    return true;
  }

  bool read_meta() {
    std::string xml;
    if (!part("meta.xml", &xml, false)) return false;
    if (xml.empty()) return true;
    XmlReader r(xml, "meta.xml");
    std::string key;
    while (r.next()) {
      if (r.node() == XmlReader::Node::kStart) {
        std::string_view n = r.name();
        if (r.ns() == kDc) {
          key = n == "title"     ? "title"
                : n == "creator" ? "author"
                : n == "subject" ? "subject"
                : n == "description" ? "description"
                : n == "date"        ? "modified"
                                     : "";
        } else if (r.ns() == kMeta) {
          key = n == "initial-creator" ? "initial_author"
                : n == "creation-date" ? "created"
                : n == "keyword"       ? "keywords"
                                       : "";
        } else {
          key.clear();
        }
      } else if (r.node() == XmlReader::Node::kText && !key.empty()) {
        std::string v = normalize_whitespace(r.text());
        if (v.empty()) continue;
        std::string& slot = doc_.metadata[key];
        if (!slot.empty()) slot += ", ";
        slot += v;
      } else if (r.node() == XmlReader::Node::kEnd) {
        key.clear();
      }
    }
    if (!r.ok()) return true;  // properties are optional
    if (doc_.metadata.count("author") == 0 && doc_.metadata.count("initial_author"))
      doc_.metadata["author"] = doc_.metadata["initial_author"];
    if (auto it = doc_.metadata.find("title"); it != doc_.metadata.end()) doc_.title = it->second;
    return true;
  }

  std::string_view bytes_;
  ZipParts zip_;
  OfficeWriter out_;
  ParsedDocument doc_;
};

}  // namespace

ParsedDocument parse_odt(std::string_view bytes) {
  ParsedDocument d = OdtParser(bytes).run();
  d.type = DocType::kOdt;
  return d;
}

}  // namespace trove::ingest
