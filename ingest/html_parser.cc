// ingest/html_parser.cc — HTML via libxml2's forgiving parser, walked iteratively.
//
// Encoding: every page is decoded by ingest/encoding.h and handed to libxml2 as UTF-8
// with HTML_PARSE_IGNORE_ENC. A BOM wins, then a declared charset (<meta charset>, the
// XML declaration) other than UTF-8; a page declaring UTF-8 or nothing is checked, and
// when it is not UTF-8 uchardet names its charset (Windows-1251 pages that say UTF-8
// are common). A page labelled Latin-1 whose bytes are valid UTF-8 is read as UTF-8.
// The tree walk follows parent/child/sibling pointers, so a 100,000-deep document costs
// heap memory for the element stack, never native stack.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "ingest/encoding.h"
#include "ingest/outline.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

struct XmlDocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

void init_libxml_once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

bool name_is(const xmlNode* n, const char* name) {
  return n->name && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

const char* attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (a->name && std::strcmp(reinterpret_cast<const char*>(a->name), name) == 0 && a->children &&
        a->children->content) {
      return reinterpret_cast<const char*>(a->children->content);
    }
  }
  return nullptr;
}

// Charset named by a <meta> or XML declaration in the first bytes, lower-cased; "" if none.
std::string declared_charset(std::string_view b) {
  std::string head;
  for (char c : b.substr(0, 4096))
    head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const char* key : {"charset=", "encoding="}) {
    size_t p = head.find(key);
    if (p == std::string::npos) continue;
    p += std::strlen(key);
    while (p < head.size() && (head[p] == '"' || head[p] == '\'' || head[p] == ' ')) ++p;
    size_t e = p;
    while (e < head.size() &&
           (std::isalnum(static_cast<unsigned char>(head[e])) || head[e] == '-' || head[e] == '_' ||
            head[e] == ':' || head[e] == '.')) {
      ++e;
    }
    if (e > p) return head.substr(p, e - p);
  }
  return {};
}

bool is_utf8_name(const std::string& cs) {
  return cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii";
}

// Class names that mark page chrome in the generators our users' docs come from
// (SQLite's "nosearch", Sphinx's "headerlink" ¶ anchors and its navigation sidebar,
// menus, DocBook's navheader/navfooter link tables). Only navigation repeated site-wide
// is chrome: a content "sidebar" (DocBook, Sphinx), an <aside> (footnotes, notes) and
// note/tip/warning boxes are kept — when unsure, keep the text.
bool has_chrome_class(std::string_view cls) {
  static constexpr std::string_view kChrome[] = {
      "nosearch",   "headerlink",  "sphinxsidebar", "navbar",   "menu",
      "breadcrumb", "breadcrumbs", "navheader",     "navfooter"};
  size_t i = 0;
  while (i < cls.size()) {
    while (i < cls.size() && std::isspace(static_cast<unsigned char>(cls[i]))) ++i;
    size_t e = i;
    while (e < cls.size() && !std::isspace(static_cast<unsigned char>(cls[e]))) ++e;
    std::string_view token = cls.substr(i, e - i);
    for (std::string_view c : kChrome) {
      if (token == c) return true;
    }
    i = e;
  }
  return false;
}

enum class Role { kOther, kBlock, kListItem, kPre, kHeading, kTable, kRow, kCell };

Role role_of(const xmlNode* n) {
  const char* nm = reinterpret_cast<const char*>(n->name);
  if (!nm) return Role::kOther;
  if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && nm[2] == 0) return Role::kHeading;
  if (!std::strcmp(nm, "li") || !std::strcmp(nm, "dt") || !std::strcmp(nm, "dd"))
    return Role::kListItem;
  if (!std::strcmp(nm, "pre") || !std::strcmp(nm, "listing") || !std::strcmp(nm, "xmp"))
    return Role::kPre;
  if (!std::strcmp(nm, "table")) return Role::kTable;
  if (!std::strcmp(nm, "tr")) return Role::kRow;
  if (!std::strcmp(nm, "td") || !std::strcmp(nm, "th")) return Role::kCell;
  static const char* const kBlocks[] = {
      "p",       "div",    "section", "article", "main",     "blockquote", "ul",
      "ol",      "dl",     "body",    "html",    "caption",  "figcaption", "figure",
      "address", "center", "details", "summary", "fieldset", "legend",     "hr",
      "br",      "thead",  "tbody",   "tfoot",   "title",    "menu",       "dir"};
  for (const char* b : kBlocks) {
    if (!std::strcmp(nm, b)) return Role::kBlock;
  }
  return Role::kOther;
}

class HtmlWalker {
 public:
  ParsedDocument run(xmlNode* root) {
    walk(root);
    flush(nullptr);
    if (doc_.title.empty()) doc_.title = outline_.first_h1();
    doc_.blocks = outline_.take_blocks();
    return std::move(doc_);
  }

 private:
  struct Table {
    std::string text;  // rows so far, '\n'-separated
    std::string row;   // cells of the open row
    int line_start = 0;
    bool cell_open = false;
  };

  bool skipped(const xmlNode* n) const {
    static const char* const kDrop[] = {
        "script", "style",  "noscript", "template", "nav",    "footer", "form",
        "svg",    "iframe", "object",   "embed",    "canvas", "button", "select", "textarea"};
    for (const char* d : kDrop) {
      if (name_is(n, d)) return true;
    }
    // A page banner is chrome; a <header> inside an article holds its title.
    if (name_is(n, "header") && in_article_ == 0) return true;
    const char* role = attr(n, "role");
    if (role && (!std::strcmp(role, "navigation") || !std::strcmp(role, "search"))) return true;
    if (const char* cls = attr(n, "class"); cls && has_chrome_class(cls)) return true;
    const char* hidden = attr(n, "aria-hidden");
    return hidden && !std::strcmp(hidden, "true");
  }

  void walk(xmlNode* root) {
    xmlNode* n = root;
    while (n) {
      bool descend = enter(n);
      if (descend && n->children) {
        n = n->children;
        continue;
      }
      if (descend) leave(n);
      // Climb until a node has a next sibling, leaving each element on the way up.
      while (n && !n->next) {
        n = n->parent;
        if (!n || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) return;
        leave(n);
      }
      if (n) n = n->next;
    }
  }

  // Returns true when the walk should go into n's children (and later call leave(n)).
  bool enter(xmlNode* n) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      text(n);
      return false;
    }
    if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) return true;
    if (n->type != XML_ELEMENT_NODE) return false;
    if (name_is(n, "title")) {
      if (doc_.title.empty()) {
        std::unique_ptr<xmlChar, decltype(xmlFree)> content(xmlNodeGetContent(n), xmlFree);
        if (content)
          doc_.title = normalize_whitespace(reinterpret_cast<const char*>(content.get()));
      }
      return false;
    }
    if (skipped(n)) return false;
    if (name_is(n, "article") || name_is(n, "main")) ++in_article_;
    Role r = role_of(n);
    switch (r) {
      case Role::kOther:
        break;
      case Role::kBlock:
        if (name_is(n, "br")) {
          buf_ += '\n';
        } else {
          flush(n);
        }
        break;
      case Role::kListItem:
      case Role::kHeading:
        flush(n);
        break;
      case Role::kPre:
        flush(n);
        if (in_pre_ == 0) code_info_ = code_language(n);
        ++in_pre_;
        break;
      case Role::kTable:
        flush(n);
        tables_.push_back(Table{{}, {}, line_of(n), false});
        break;
      case Role::kRow:
        if (!tables_.empty()) tables_.back().row.clear();
        break;
      case Role::kCell:
        if (!tables_.empty()) {
          buf_.clear();
          tables_.back().cell_open = true;
        }
        break;
    }
    kinds_.push_back(r);
    return true;
  }

  void leave(xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return;
    Role r = kinds_.empty() ? Role::kOther : kinds_.back();
    if (!kinds_.empty()) kinds_.pop_back();
    if (name_is(n, "article") || name_is(n, "main")) --in_article_;
    if (name_is(n, "a")) link_url(n);
    switch (r) {
      case Role::kOther:
        break;
      case Role::kBlock:
        if (!name_is(n, "br")) flush(n);
        break;
      case Role::kListItem:
        emit(BlockKind::kListItem, n);
        break;
      case Role::kHeading:
        heading(n);
        break;
      case Role::kPre:
        emit(BlockKind::kCode, n);
        --in_pre_;
        break;
      case Role::kCell:
        if (!tables_.empty()) {
          Table& t = tables_.back();
          if (!t.row.empty()) t.row += " | ";
          t.row += normalize_whitespace(buf_);
          t.cell_open = false;
          buf_.clear();
          buf_start_ = 0;
        }
        break;
      case Role::kRow:
        if (!tables_.empty()) end_row(&tables_.back());
        break;
      case Role::kTable:
        if (!tables_.empty()) {
          Table t = std::move(tables_.back());
          tables_.pop_back();
          flush(n);  // loose text directly inside <table>
          end_row(&t);
          add_block(BlockKind::kTable, std::move(t.text), t.line_start, line_of(n));
        }
        break;
    }
  }

  static void end_row(Table* t) {
    if (trim(t->row).empty() || t->row.find_first_not_of(" |") == std::string::npos) {
      t->row.clear();
      return;
    }
    if (!t->text.empty()) t->text += '\n';
    t->text += t->row;
    t->row.clear();
  }

  void text(const xmlNode* n) {
    if (!n->content) return;
    const char* s = reinterpret_cast<const char*>(n->content);
    if (buf_start_ == 0 && !is_blank(s)) buf_start_ = line_of(n);
    if (buf_start_ != 0) buf_end_ = std::max(buf_end_, line_of(n));
    buf_ += s;
  }

  static int line_of(const xmlNode* n) {
    long l = xmlGetLineNo(n);
    return l > 0 && l < (1L << 30) ? static_cast<int>(l) : 0;
  }

  // Ends the current text run as a paragraph (inside a table cell the text keeps
  // accumulating: a cell is one piece of text however many <p> it holds).
  void flush(const xmlNode* at) {
    if (!tables_.empty() && tables_.back().cell_open) {
      buf_ += ' ';
      return;
    }
    if (in_pre_ > 0) return;
    emit(BlockKind::kParagraph, at);
  }

  void emit(BlockKind kind, const xmlNode* at) {
    if (kind != BlockKind::kCode && in_pre_ > 0) return;
    std::string text;
    if (kind == BlockKind::kCode) {
      size_t b = buf_.find_first_not_of('\n');
      size_t e = buf_.find_last_not_of(" \t\n");
      if (b != std::string::npos && e != std::string::npos && e >= b)
        text = buf_.substr(b, e - b + 1);
      if (!text.empty() && !code_info_.empty()) text = code_info_ + "\n" + text;
      code_info_.clear();
    } else {
      text = normalize_whitespace(buf_);
    }
    int end = buf_end_ ? buf_end_ : (at ? line_of(at) : 0);
    add_block(kind, std::move(text), buf_start_, end);
    buf_.clear();
    buf_start_ = buf_end_ = 0;
  }

  // An absolute link keeps its URL after its text, so the URL is searchable ("docs
  // (https://example.org/x)"); in-page and relative links are navigation, not content.
  void link_url(const xmlNode* n) {
    const char* href = attr(n, "href");
    if (!href) return;
    std::string_view h = trim(href);
    bool absolute = h.find("://") != std::string_view::npos || h.rfind("mailto:", 0) == 0;
    if (!absolute || h.size() > 2048) return;
    std::string_view tail = trim(buf_);
    if (tail.size() >= h.size() && tail.substr(tail.size() - h.size()) == h) return;  // text is the URL
    buf_ += " (";
    buf_ += h;
    buf_ += ") ";
  }

  // The language of a code block, from the class names generators use: "language-x" /
  // "lang-x" on <pre> or its <code>, pandoc's "sourceCode x", Sphinx's "highlight-x" on
  // one of the two enclosing elements. "" when none says.
  static std::string code_language(const xmlNode* pre) {
    auto from_class = [](const xmlNode* n) -> std::string {
      if (!n || n->type != XML_ELEMENT_NODE) return {};
      const char* cls = attr(n, "class");
      if (!cls) return {};
      std::string_view c = cls;
      for (std::string_view prefix : {"language-", "lang-", "highlight-", "sourceCode "}) {
        size_t p = c.find(prefix);
        if (p == std::string_view::npos) continue;
        size_t b = p + prefix.size(), e = b;
        while (e < c.size() && !std::isspace(static_cast<unsigned char>(c[e]))) ++e;
        std::string lang(c.substr(b, e - b));
        if (!lang.empty() && lang != "default" && lang != "none" && lang != "notranslate")
          return lang;
      }
      return {};
    };
    std::string lang = from_class(pre);
    for (const xmlNode* c = pre->children; lang.empty() && c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && name_is(c, "code")) lang = from_class(c);
    const xmlNode* p = pre->parent;
    for (int up = 0; lang.empty() && p && up < 2; ++up, p = p->parent) lang = from_class(p);
    return lang;
  }

  void heading(const xmlNode* n) {
    int level = n->name[1] - '0';
    int start = buf_start_ ? buf_start_ : line_of(n), end = buf_end_ ? buf_end_ : start;
    outline_.heading(level, normalize_whitespace(buf_), start, end);
    buf_.clear();
    buf_start_ = buf_end_ = 0;
  }

  void add_block(BlockKind kind, std::string text, int start, int end) {
    outline_.add(kind, std::move(text), start, end);
  }

  ParsedDocument doc_;
  std::string buf_;
  int buf_start_ = 0, buf_end_ = 0;
  int in_pre_ = 0;
  std::string code_info_;  // language of the open <pre>, "" when unknown
  int in_article_ = 0;
  std::vector<Role> kinds_;  // roles of the elements entered, innermost last
  std::vector<Table> tables_;
  Outline outline_;
};

}  // namespace

ParsedDocument parse_html(std::string_view bytes) {
  init_libxml_once();
  ParsedDocument doc;
  doc.type = DocType::kHtml;
  constexpr int kBaseOptions = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                               HTML_PARSE_NOBLANKS | HTML_PARSE_COMPACT |
                               XML_PARSE_HUGE;  // else libxml2 stops at 256 nested elements
  size_t bom = 0;
  Encoding unicode = sniff_unicode(bytes, &bom);
  std::string charset = declared_charset(bytes);
  Decoded d;
  if (unicode == Encoding::kUtf8 && !is_utf8_name(charset)) {
    Decoded probe = decode_to_utf8(bytes);
    // Pages labelled Latin-1 that are really UTF-8 are common; trust valid UTF-8.
    bool really_utf8 =
        probe.encoding == Encoding::kUtf8 && probe.replacements == 0 &&
        (charset == "iso-8859-1" || charset == "latin1" || charset == "windows-1252");
    d = really_utf8 ? std::move(probe) : decode_to_utf8(bytes, charset);
  } else {
    d = decode_to_utf8(bytes);
  }
  // libxml2 stops at a NUL byte; drop them (and say so) so the rest of the page counts.
  size_t nuls = 0;
  std::erase_if(d.text, [&nuls](char c) { return c == 0 && ++nuls; });
  add_decode_warnings(d, nuls, &doc);
  XmlDocPtr xml(htmlReadMemory(d.text.data(), static_cast<int>(d.text.size()), nullptr, "UTF-8",
                               kBaseOptions | HTML_PARSE_IGNORE_ENC));
  if (!xml) {
    doc.fail = FailReason::kParseError;
    doc.fail_detail = "libxml2 could not parse the HTML";
    return doc;
  }
  ParsedDocument walked = HtmlWalker().run(xmlDocGetRootElement(xml.get()));
  walked.type = DocType::kHtml;
  walked.warnings.insert(walked.warnings.begin(), doc.warnings.begin(), doc.warnings.end());
  return walked;
}

}  // namespace trove::ingest
