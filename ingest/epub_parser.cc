// ingest/epub_parser.cc — EPUB 2 and 3 e-books: XHTML chapters in a ZIP.
//
// META-INF/container.xml names the OPF package; its manifest and spine give the
// chapters in reading order (the EPUB 3 nav document itself is left out: it is a copy
// of the chapter titles). Each XHTML part goes through the HTML parser. Chapter titles
// come from the EPUB 3 nav document (nav epub:type="toc") or the EPUB 2 NCX, else
// the part's own title: every block of a chapter gets the chapter title at the head
// of its heading path (unless the part's own first heading already says it), so a
// citation names the chapter. Package metadata (dc:title, creator, language, date,
// publisher) goes to the document's metadata. A chapter listed in
// META-INF/encryption.xml (DRM) makes the book "encrypted"; obfuscated fonts do not.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ingest/parsers.h"
#include "ingest/text_util.h"
#include "ingest/xml_reader.h"
#include "ingest/zip_parts.h"

namespace trove::ingest {
namespace {

constexpr std::string_view kContainer = "urn:oasis:names:tc:opendocument:xmlns:container";
constexpr std::string_view kOpf = "http://www.idpf.org/2007/opf";
constexpr std::string_view kDc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kNcx = "http://www.daisy.org/z3986/2005/ncx/";
constexpr std::string_view kXhtml = "http://www.w3.org/1999/xhtml";
constexpr std::string_view kOps = "http://www.idpf.org/2007/ops";
constexpr std::string_view kEnc = "http://www.w3.org/2001/04/xmlenc#";

struct Item {
  std::string href, media_type, properties;
};

class EpubParser {
 public:
  explicit EpubParser(std::string_view bytes) : bytes_(bytes) {}

  ParsedDocument run() {
    if (!zip_.open(bytes_)) return zip_.failed_document(DocType::kEpub);
    std::string mime;
    if (zip_.has("mimetype") && !zip_.read("mimetype", &mime))
      return zip_.failed_document(DocType::kEpub);
    std::string opf;
    if (trim(mime) != "application/epub+zip" && !zip_.has("META-INF/container.xml")) {
      zip_.fail(FailReason::kMismatch, "a ZIP archive that is not an EPUB");
    } else if (opf = package_path(); zip_.reason() == FailReason::kNone &&
                                     (opf.empty() || !zip_.has(opf))) {
      zip_.fail(FailReason::kParseError, "META-INF/container.xml names no package document");
    }
    if (zip_.reason() != FailReason::kNone || !read_package(opf) || !read_toc() ||
        !check_encryption() || !read_chapters())
      return zip_.failed_document(DocType::kEpub);
    if (auto it = doc_.metadata.find("title"); it != doc_.metadata.end()) doc_.title = it->second;
    return std::move(doc_);
  }

 private:
  bool set_fail(FailReason r, std::string why) { return zip_.fail(r, std::move(why)); }
  bool part(const std::string& name, std::string* out) { return zip_.read(name, out); }
  bool xml_part(const std::string& name, std::string* out) { return zip_.xml(name, out, true); }

  // The nav document or NCX: one that is refused or broken costs only the chapter
  // titles; a bomb or an encrypted entry still fails the book.
  bool toc_part(const std::string& name, std::string* xml) {
    if (!zip_.has(name)) return false;
    if (xml_part(name, xml)) return true;
    if (zip_.reason() == FailReason::kParseError) {
      zip_.clear_failure();
      doc_.warnings.push_back("table of contents " + name + " not read");
    }
    return false;
  }

  std::string package_path() {
    std::string xml;
    if (!zip_.has("META-INF/container.xml")) return {};
    if (!xml_part("META-INF/container.xml", &xml)) return {};
    XmlReader r(xml, "META-INF/container.xml");
    while (r.next()) {
      if (r.is_start("rootfile", kContainer)) return zip_resolve("", r.attr("full-path"));
    }
    if (!r.ok()) set_fail(FailReason::kParseError, r.error());
    return {};
  }

  bool read_package(const std::string& opf) {
    std::string xml;
    if (!xml_part(opf, &xml)) return false;
    XmlReader r(xml, opf);
    std::string key;
    while (r.next()) {
      using N = XmlReader::Node;
      if (r.is_start("item", kOpf)) {
        std::string href = zip_resolve(opf, r.attr("href"));
        items_[r.attr("id")] = Item{href, r.attr("media-type"), r.attr("properties")};
      } else if (r.is_start("itemref", kOpf)) {
        spine_.push_back(r.attr("idref"));
      } else if (r.is_start("spine", kOpf)) {
        ncx_id_ = r.attr("toc");
      } else if (r.node() == N::kStart && r.ns() == kDc) {
        std::string_view n = r.name();
        key = n == "title" || n == "language" || n == "date" || n == "publisher" ||
                      n == "subject" || n == "description"
                  ? std::string(n)
              : n == "creator" ? "author"
                               : "";
      } else if (r.node() == N::kText && !key.empty()) {
        std::string v = normalize_whitespace(r.text());
        if (v.empty()) continue;
        std::string& slot = doc_.metadata[key];
        if (key == "title" && !slot.empty()) continue;  // the first title is the book's
        if (!slot.empty()) slot += ", ";
        slot += v;
      } else if (r.node() == N::kEnd) {
        key.clear();
      }
    }
    if (!r.ok()) return set_fail(FailReason::kParseError, r.error());
    opf_ = opf;
    return true;
  }

  void title_for(const std::string& href, std::string text) {
    std::string path = zip_resolve(toc_part_, href);
    text = normalize_whitespace(text);
    if (!path.empty() && !text.empty()) titles_.emplace(path, std::move(text));  // first wins
  }

  bool read_toc() {
    for (const auto& [id, item] : items_) {
      if (item.properties.find("nav") != std::string::npos) return read_nav(item.href);
    }
    auto it = items_.find(ncx_id_);
    if (it == items_.end()) {
      for (auto i = items_.begin(); i != items_.end(); ++i)
        if (i->second.media_type == "application/x-dtbncx+xml") it = i;
    }
    if (it != items_.end()) return read_ncx(it->second.href);
    return true;
  }

  bool read_nav(const std::string& name) {
    std::string xml;
    if (!toc_part(name, &xml)) return zip_.reason() == FailReason::kNone;
    toc_part_ = name;
    XmlReader r(xml, name);
    int toc_depth = -1;
    std::string href, text;
    bool in_a = false;
    while (r.next()) {
      if (r.is_start("nav", kXhtml) && r.attr("type", kOps) == "toc") toc_depth = r.depth();
      if (toc_depth < 0) continue;
      if (r.is_start("a", kXhtml)) {
        in_a = true;
        href = r.attr("href");
        text.clear();
      } else if (in_a && r.node() == XmlReader::Node::kText) {
        text += r.text();
      }
      if (r.is_end("a", kXhtml)) {
        in_a = false;
        title_for(href, text);
      }
      if (r.is_end("nav", kXhtml) && r.depth() == toc_depth) toc_depth = -1;
    }
    return true;  // a broken nav document costs only the titles
  }

  bool read_ncx(const std::string& name) {
    std::string xml;
    if (!toc_part(name, &xml)) return zip_.reason() == FailReason::kNone;
    toc_part_ = name;
    XmlReader r(xml, name);
    std::vector<std::string> labels;  // label text of each open navPoint
    bool in_text = false;
    while (r.next()) {
      if (r.is_start("navPoint", kNcx)) labels.emplace_back();
      if (r.is_start("text", kNcx)) in_text = true;
      if (in_text && r.node() == XmlReader::Node::kText && !labels.empty()) labels.back() += r.text();
      if (r.is_end("text", kNcx)) in_text = false;
      if (r.is_start("content", kNcx) && !labels.empty()) title_for(r.attr("src"), labels.back());
      if (r.is_end("navPoint", kNcx) && !labels.empty()) labels.pop_back();
    }
    return true;
  }

  bool check_encryption() {
    if (!zip_.has("META-INF/encryption.xml")) return true;
    std::string xml;
    if (!xml_part("META-INF/encryption.xml", &xml)) return false;
    std::set<std::string> chapters;
    for (const auto& id : spine_) {
      auto it = items_.find(id);
      if (it != items_.end()) chapters.insert(it->second.href);
    }
    XmlReader r(xml, "META-INF/encryption.xml");
    while (r.next()) {
      if (r.is_start("CipherReference", kEnc) && chapters.count(zip_resolve("", r.attr("URI"))))
        return set_fail(FailReason::kEncrypted, "DRM-protected (encrypted chapters)");
    }
    return true;
  }

  bool read_chapters() {
    std::set<std::string> done;
    int number = 0;
    for (const auto& id : spine_) {
      auto it = items_.find(id);
      if (it == items_.end()) continue;
      const Item& item = it->second;
      if (item.properties.find("nav") != std::string::npos) continue;
      if (item.media_type != "application/xhtml+xml" && item.media_type != "text/html") continue;
      if (!done.insert(item.href).second || !zip_.has(item.href)) continue;
      std::string html;
      if (!part(item.href, &html)) return false;
      ++number;
      ParsedDocument ch = parse_html(html);
      if (ch.fail != FailReason::kNone) {
        doc_.warnings.push_back(item.href + ": " + ch.fail_detail);
        continue;
      }
      std::string title;
      if (auto t = titles_.find(item.href); t != titles_.end()) title = t->second;
      if (title.empty()) title = ch.title;
      if (title.empty()) title = "Chapter " + std::to_string(number);
      for (Block& b : ch.blocks) {
        bool named = !b.heading_path.empty() && b.heading_path.front() == title;
        bool is_title_heading = b.kind == BlockKind::kHeading && b.heading_path.empty() && b.text == title;
        if (!named && !is_title_heading) b.heading_path.insert(b.heading_path.begin(), title);
        doc_.blocks.push_back(std::move(b));
      }
    }
    if (doc_.blocks.empty() && !doc_.warnings.empty())
      return set_fail(FailReason::kParseError, doc_.warnings.front());
    return true;
  }

  std::string_view bytes_;
  ZipParts zip_;
  std::string opf_, ncx_id_, toc_part_;
  std::map<std::string, Item> items_;
  std::vector<std::string> spine_;
  std::map<std::string, std::string> titles_;  // part → chapter title
  ParsedDocument doc_;
};

}  // namespace

ParsedDocument parse_epub(std::string_view bytes) {
  ParsedDocument d = EpubParser(bytes).run();
  d.type = DocType::kEpub;
  return d;
}

}  // namespace trove::ingest
