// ingest/docx_parser.cc — Word documents (.docx .docm .dotx .dotm): OOXML in a ZIP.
//
// Parts read: _rels/.rels (where the main document is), word/styles.xml (which
// paragraph styles are headings: "heading N", "Title", or an outline level, followed
// through basedOn), the main document, its relationships (headers, footers, notes,
// comments), footnotes/endnotes/comments, and docProps/core.xml for the metadata.
// Text: w:t runs, tabs and breaks; deleted revisions (w:delText), field codes
// (w:instrText) and the fallback copy of alternate content are left out, so nothing
// is indexed twice. Paragraphs with numbering are list items; the pandoc/Word code
// styles keep their line breaks. Block assembly is OfficeWriter's (office_writer.h).
#include <cctype>
#include <map>
#include <string>

#include "core/parse_int.h"
#include "core/str_cat.h"
#include "ingest/office_writer.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"
#include "ingest/xml_reader.h"
#include "ingest/zip_parts.h"

namespace trove::ingest {
namespace {

constexpr std::string_view kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kRel = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kMc = "http://schemas.openxmlformats.org/markup-compatibility/2006";

bool is_w(const XmlReader& r) {
  return r.ns() == kW || r.ns() == kWStrict;
}
bool w_start(const XmlReader& r, std::string_view n) {
  return r.node() == XmlReader::Node::kStart && r.name() == n && is_w(r);
}
bool w_end(const XmlReader& r, std::string_view n) {
  return (r.is_end(n, kW) || r.is_end(n, kWStrict));
}
std::string w_attr(const XmlReader& r, std::string_view n) {
  std::string v = r.attr(n, kW);
  return v.empty() ? r.attr(n, kWStrict) : v;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Style {
  int outline = 0;  // heading level 1..9, 0 = body text
  bool title = false, code = false, list = false;
  std::string based_on;
};

struct Rel {
  std::string type, target;
};

class DocxParser {
 public:
  explicit DocxParser(std::string_view bytes) : bytes_(bytes) {}

  ParsedDocument run() {
    if (!zip_.open(bytes_)) return zip_.failed_document(DocType::kDocx);
    if (!zip_.has("[Content_Types].xml")) {
      zip_.fail(FailReason::kMismatch, "a ZIP archive that is not an OOXML document");
      return zip_.failed_document(DocType::kDocx);
    }
    std::string main = main_part();
    if (main.empty() || !zip_.has(main)) {
      std::string what = zip_.has("xl/workbook.xml")         ? "an Excel workbook"
                         : zip_.has("ppt/presentation.xml") ? "a PowerPoint presentation"
                                                             : "an OOXML package";
      zip_.fail(FailReason::kMismatch, what + " without a Word document part");
      return zip_.failed_document(DocType::kDocx);
    }
    if (!read_styles() || !read_rels(main) || !read_notes() || !read_body(main) ||
        !read_headers_footers() || !read_core()) {
      return zip_.failed_document(DocType::kDocx);
    }
    doc_.blocks = out_.finish();
    if (doc_.title.empty()) doc_.title = title_;
    return std::move(doc_);
  }

 private:
  bool part(const std::string& name, std::string* xml, bool required) {
    return zip_.xml(name, xml, required);
  }
  bool reader_failed(const XmlReader& r) { return zip_.fail(FailReason::kParseError, r.error()); }

  std::map<std::string, Rel> rels_of(const std::string& rels_part) {
    std::map<std::string, Rel> out;
    std::string xml;
    if (!part(rels_part, &xml, false) || xml.empty()) return out;
    XmlReader r(xml, rels_part);
    while (r.next()) {
      if (r.is_start("Relationship", kRel))
        out[r.attr("Id")] = Rel{r.attr("Type"), r.attr("Target")};
    }
    return out;
  }

  std::string main_part() {
    for (const auto& [id, rel] : rels_of("_rels/.rels")) {
      if (rel.type.size() >= 15 &&
          rel.type.compare(rel.type.size() - 15, 15, "/officeDocument") == 0) {
        return zip_resolve("", rel.target);
      }
    }
    return zip_.has("word/document.xml") ? "word/document.xml" : "";
  }

  bool read_rels(const std::string& main) {
    size_t slash = main.rfind('/');
    std::string dir = slash == std::string::npos ? "" : main.substr(0, slash + 1);
    std::string file = main.substr(dir.size());
    const std::string rels_path = str_cat({dir, "_rels/", file, ".rels"});
    for (const auto& [id, rel] : rels_of(rels_path)) {
      size_t cut = rel.type.rfind('/');
      std::string kind = cut == std::string::npos ? rel.type : rel.type.substr(cut + 1);
      std::string target = zip_resolve(main, rel.target);
      if (target.empty()) continue;
      if (kind == "header" || kind == "footer") {
        parts_.emplace_back(kind, target);
      } else if (kind == "footnotes" || kind == "endnotes" || kind == "comments") {
        notes_parts_[kind] = target;
      }
    }
    return zip_.reason() == FailReason::kNone;
  }

  bool read_styles() {
    std::string xml;
    if (!part("word/styles.xml", &xml, false)) return false;
    if (xml.empty()) return true;
    XmlReader r(xml, "word/styles.xml");
    std::string id;
    while (r.next()) {
      if (w_start(r, "style")) {
        id = w_attr(r, "type") == "paragraph" ? w_attr(r, "styleId") : "";
      } else if (!id.empty() && w_start(r, "name")) {
        std::string n = lower(w_attr(r, "val"));
        Style& s = styles_[id];
        if (n.rfind("heading ", 0) == 0 && n.size() == 9 && std::isdigit(static_cast<unsigned char>(n[8])))
          s.outline = n[8] - '0';
        if (n == "title") s.title = true;
        if (n.find("code") != std::string::npos || n.find("verbatim") != std::string::npos ||
            n == "html preformatted" || n == "plain text")
          s.code = true;
        if (n.rfind("list", 0) == 0) s.list = true;
      } else if (!id.empty() && w_start(r, "outlineLvl")) {
        int lvl = parse_int(w_attr(r, "val")).value_or(0);
        if (lvl >= 0 && lvl < 9 && styles_[id].outline == 0) styles_[id].outline = lvl + 1;
      } else if (!id.empty() && w_start(r, "basedOn")) {
        styles_[id].based_on = w_attr(r, "val");
      }
    }
    if (!r.ok()) return reader_failed(r);
    return true;
  }

  // The style with its basedOn chain folded in (at most 16 steps: chains may loop).
  Style style(const std::string& id) const {
    Style out;
    std::string cur = id;
    for (int i = 0; i < 16 && !cur.empty(); ++i) {
      auto it = styles_.find(cur);
      if (it == styles_.end()) break;
      if (out.outline == 0) out.outline = it->second.outline;
      out.title |= it->second.title;
      out.code |= it->second.code;
      out.list |= it->second.list;
      cur = it->second.based_on;
    }
    return out;
  }

  // Text of every w:p under each <w:footnote|endnote|comment w:id=..>, keyed by id.
  bool read_notes() {
    for (const auto& [kind, name] : notes_parts_) {
      std::string xml;
      if (!part(name, &xml, false)) return false;
      if (xml.empty()) continue;
      std::string item = kind == "comments" ? "comment" : kind.substr(0, kind.size() - 1);
      XmlReader r(xml, name);
      std::string id, author, text;
      bool in_item = false;
      while (r.next()) {
        if (w_start(r, item)) {
          in_item = w_attr(r, "type").empty() || w_attr(r, "type") == "normal";
          id = w_attr(r, "id");
          author = w_attr(r, "author");
          text.clear();
        } else if (in_item && r.node() == XmlReader::Node::kText && in_t_) {
          text += r.text();
        } else if (w_start(r, "t")) {
          in_t_ = true;
        } else if (in_item && w_end(r, "p")) {
          text += ' ';
        }
        if (w_end(r, "t")) in_t_ = false;
        if (in_item && w_end(r, item)) {
          in_item = false;
          notes_[kind][id] = Note{author, text};
        }
      }
      if (!r.ok()) return reader_failed(r);
    }
    return true;
  }

  void add_note(const std::string& kind, const std::string& id) {
    auto k = notes_.find(kind);
    if (k == notes_.end()) return;
    auto it = k->second.find(id);
    if (it == k->second.end()) return;
    std::string label = kind == "footnotes" ? "Footnote " + id
                        : kind == "endnotes" ? "Endnote " + id
                        : it->second.author.empty() ? std::string("Comment")
                                                    : "Comment (" + it->second.author + ")";
    out_.note(label, it->second.text);
  }

  struct Para {
    std::string style;
    bool numbered = false;
    int outline = 0;  // direct w:outlineLvl + 1
  };

  bool read_body(const std::string& name) {
    std::string xml;
    if (!part(name, &xml, true)) return false;
    XmlReader r(xml, name);
    std::vector<Para> paras;
    int skip_depth = -1;  // inside a subtree that is left out (deleted text, fallback)
    while (r.next()) {
      if (skip_depth >= 0) {
        if (r.node() == XmlReader::Node::kEnd && r.depth() == skip_depth) skip_depth = -1;
        continue;
      }
      using N = XmlReader::Node;
      if (r.node() == N::kStart && !r.is_end(r.name(), r.ns()) &&
          ((is_w(r) && (r.name() == "del" || r.name() == "instrText" || r.name() == "delText" ||
                        r.name() == "pPr" || r.name() == "rPr")) ||
           (r.ns() == kMc && r.name() == "Fallback"))) {
        // pPr is read below before it is skipped; its children are style settings only.
        if (r.name() == "pPr") {
          if (!read_ppr(r, paras.empty() ? nullptr : &paras.back())) return reader_failed(r);
          continue;
        }
        skip_depth = r.depth();
        continue;
      }
      if (w_start(r, "p")) {
        paras.emplace_back();
        out_.begin_text();
      } else if (w_start(r, "t")) {
        in_t_ = true;
      } else if (r.node() == N::kText && in_t_) {
        out_.text() += r.text();
      } else if (w_start(r, "tab")) {
        out_.text() += '\t';
      } else if (w_start(r, "br") || w_start(r, "cr")) {
        out_.text() += '\n';
      } else if (w_start(r, "noBreakHyphen")) {
        out_.text() += '-';
      } else if (w_start(r, "footnoteReference")) {
        add_note("footnotes", w_attr(r, "id"));
      } else if (w_start(r, "endnoteReference")) {
        add_note("endnotes", w_attr(r, "id"));
      } else if (w_start(r, "commentReference")) {
        add_note("comments", w_attr(r, "id"));
      } else if (w_start(r, "tbl")) {
        out_.begin_table();
      } else if (w_start(r, "tr")) {
        out_.begin_row();
      } else if (w_start(r, "tc")) {
        out_.begin_cell();
      }
      if (w_end(r, "t")) in_t_ = false;
      if (w_end(r, "p") && !paras.empty()) {
        end_paragraph(paras.back(), out_.end_text());
        paras.pop_back();
      } else if (w_end(r, "tc")) {
        out_.end_cell();
      } else if (w_end(r, "tr")) {
        out_.end_row();
      } else if (w_end(r, "tbl")) {
        out_.end_table();
      }
    }
    if (!r.ok()) return reader_failed(r);
    return true;
  }

  // Reads <w:pPr> up to its end: the style, numbering and outline level.
  static bool read_ppr(XmlReader& r, Para* p) {
    if (r.is_end("pPr", kW) || r.is_end("pPr", kWStrict)) return true;  // <w:pPr/>
    int depth = r.depth();
    while (r.next()) {
      if (r.node() == XmlReader::Node::kEnd && r.depth() == depth) return true;
      if (!p) continue;
      if (w_start(r, "pStyle")) p->style = w_attr(r, "val");
      if (w_start(r, "numPr")) p->numbered = true;
      if (w_start(r, "outlineLvl")) {
        int lvl = parse_int(w_attr(r, "val")).value_or(0);
        if (lvl >= 0 && lvl < 9) p->outline = lvl + 1;
      }
    }
    return r.ok();
  }

  void end_paragraph(const Para& p, const std::string& text) {
    Style s = style(p.style);
    int level = p.outline ? p.outline : s.outline;
    if (s.title) {
      std::string t = normalize_whitespace(text);
      if (title_.empty()) title_ = t;
      out_.paragraph(BlockKind::kHeading, 1, text);
    } else if (level > 0) {
      out_.paragraph(BlockKind::kHeading, level, text);
    } else if (s.code) {
      out_.paragraph(BlockKind::kCode, 0, text);
    } else if (p.numbered || s.list) {
      out_.paragraph(BlockKind::kListItem, 0, text);
    } else {
      out_.paragraph(BlockKind::kParagraph, 0, text);
    }
  }

  bool read_headers_footers() {
    for (const auto& [kind, name] : parts_) {
      std::string xml;
      if (!part(name, &xml, false)) return false;
      if (xml.empty()) continue;
      XmlReader r(xml, name);
      std::string text;
      bool in_t = false;
      while (r.next()) {
        if (w_start(r, "t")) in_t = true;
        if (r.node() == XmlReader::Node::kText && in_t) text += r.text();
        if (w_end(r, "t")) in_t = false;
        if (w_end(r, "p")) text += ' ';
      }
      if (!r.ok()) return reader_failed(r);
      out_.header_footer(kind == "header" ? "Header" : "Footer", text);
    }
    return true;
  }

  bool read_core() {
    std::string xml;
    if (!part("docProps/core.xml", &xml, false)) return false;
    if (xml.empty()) return true;
    static const std::map<std::string_view, std::string_view> kKeys = {
        {"title", "title"},       {"creator", "author"},     {"subject", "subject"},
        {"description", "description"}, {"keywords", "keywords"}, {"created", "created"},
        {"modified", "modified"}, {"lastModifiedBy", "last_modified_by"}};
    XmlReader r(xml, "docProps/core.xml");
    std::string key;
    while (r.next()) {
      if (r.node() == XmlReader::Node::kStart) {
        auto it = kKeys.find(r.name());
        key = it == kKeys.end() ? "" : std::string(it->second);
      } else if (r.node() == XmlReader::Node::kText && !key.empty()) {
        std::string v = normalize_whitespace(r.text());
        if (!v.empty()) doc_.metadata[key] += v;
      } else if (r.node() == XmlReader::Node::kEnd) {
        key.clear();
      }
    }
    if (!r.ok()) return true;  // properties are optional: a broken core.xml loses only them
    if (auto it = doc_.metadata.find("title"); it != doc_.metadata.end()) doc_.title = it->second;
    return true;
  }

  struct Note {
    std::string author, text;
  };

  std::string_view bytes_;
  ZipParts zip_;
  std::map<std::string, Style> styles_;
  std::vector<std::pair<std::string, std::string>> parts_;  // (header|footer, part)
  std::map<std::string, std::string> notes_parts_;          // footnotes|endnotes|comments → part
  std::map<std::string, std::map<std::string, Note>> notes_;
  OfficeWriter out_;
  ParsedDocument doc_;
  std::string title_;
  bool in_t_ = false;
};

}  // namespace

ParsedDocument parse_docx(std::string_view bytes) {
  ParsedDocument d = DocxParser(bytes).run();
  d.type = DocType::kDocx;
  return d;
}

}  // namespace trove::ingest
