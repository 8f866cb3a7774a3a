// ingest/mail_message.cc — a MIME message walked with GMime 3 (rules in mail_message.h).
#include "ingest/mail_message.h"

#include <gmime/gmime.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <set>

#include "core/sha256.h"
#include "ingest/detect.h"
#include "ingest/mail_charset.h"
#include "ingest/parsers.h"
#include "ingest/text_util.h"

namespace trove::ingest {
namespace {

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GString_ = std::unique_ptr<char, GFree>;

std::string take(char* s) {
  GString_ owned(s);
  return s ? std::string(s) : std::string();
}

void init_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string addresses(InternetAddressList* list) {
  if (!list || internet_address_list_length(list) == 0) return {};
  return take(internet_address_list_to_string(list, nullptr, FALSE));
}

// Transfer-decoded bytes of a leaf part (base64, quoted-printable, uuencode undone).
std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* w = g_mime_part_get_content(part);
  if (!w) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(w, mem.get()) < 0) return {};
  GByteArray* a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return a ? std::string(reinterpret_cast<const char*>(a->data), a->len) : std::string();
}

std::string mime_type(GMimeObject* o) {
  GMimeContentType* ct = g_mime_object_get_content_type(o);
  std::string t = ct ? take(g_mime_content_type_get_mime_type(ct)) : "";
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t.empty() ? "text/plain" : t;
}

bool is_type(GMimeObject* o, const char* type, const char* subtype) {
  GMimeContentType* ct = g_mime_object_get_content_type(o);
  return ct && g_mime_content_type_is_type(ct, type, subtype);
}

bool is_attachment(GMimeObject* o) {
  GMimeContentDisposition* d = g_mime_object_get_content_disposition(o);
  if (d && g_mime_content_disposition_is_attachment(d)) return true;
  if (GMIME_IS_PART(o) && g_mime_part_get_filename(GMIME_PART(o))) return true;
  return !is_type(o, "text", "*");
}

std::string human_size(size_t n) {
  if (n < 1024) return std::to_string(n) + " bytes";
  if (n < size_t{1024} * 1024) return std::to_string((n + 512) / 1024) + " KB";
  return std::to_string((n + (512 << 10)) >> 20) + " MB";
}

bool is_quoted(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '>';
}

class MessageWalker {
 public:
  MessageWalker(const ParseOptions& opt, std::string key_prefix, std::string label_prefix)
      : opt_(opt), key_prefix_(std::move(key_prefix)), label_prefix_(std::move(label_prefix)) {}

  ParsedDocument run(GMimeMessage* msg) {
    std::string subject = g_mime_message_get_subject(msg) ? g_mime_message_get_subject(msg) : "";
    doc_.title = normalize_whitespace(subject);
    if (doc_.title.empty()) doc_.title = "(no subject)";
    date_ = date_of(msg, &doc_.metadata);
    heading_ = {date_.empty() ? doc_.title : doc_.title + " (" + date_ + ")"};
    header_block(msg, true);
    if (GMimeObject* body = g_mime_message_get_mime_part(msg)) object(body, 0);
    attachments_block();
    if (truncated_) {
      doc_.warnings.push_back("MIME structure over " + std::to_string(kMaxMimeParts) +
                              " parts or " + std::to_string(kMaxMimeDepth) +
                              " levels deep: the rest was not read");
    }
    return std::move(doc_);
  }

 private:
  static std::string date_of(GMimeMessage* msg, std::map<std::string, std::string>* meta) {
    GDateTime* d = g_mime_message_get_date(msg);
    if (!d) return {};
    if (meta) (*meta)["date"] = take(g_date_time_format_iso8601(d));
    return take(g_date_time_format(d, "%Y-%m-%d %H:%M %z"));
  }

  void header_block(GMimeMessage* msg, bool top) {
    std::string text;
    auto line = [&](const char* name, const std::string& key, const std::string& v) {
      if (v.empty()) return;
      text += std::string(name) + ": " + v + "\n";
      if (top) doc_.metadata[key] = v;
    };
    line("From", "from", addresses(g_mime_message_get_from(msg)));
    line("To", "to", addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO)));
    line("Cc", "cc", addresses(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC)));
    std::string date = top ? date_ : date_of(msg, nullptr);
    line("Date", "date_text", date);
    const char* subject = g_mime_message_get_subject(msg);
    line("Subject", "subject", subject ? normalize_whitespace(subject) : "");
    if (top && g_mime_message_get_message_id(msg))
      doc_.metadata["message_id"] = g_mime_message_get_message_id(msg);
    if (!text.empty()) add(BlockKind::kParagraph, text, {});
  }

  void add(BlockKind kind, std::string text, std::vector<std::string> extra_heading) {
    Block b;
    b.kind = kind;
    b.text = std::move(text);
    b.heading_path = heading_;
    for (auto& h : extra_heading) b.heading_path.push_back(std::move(h));
    doc_.blocks.push_back(std::move(b));
  }

  void add_parsed(ParsedDocument&& d) {
    for (Block& b : d.blocks) {
      std::vector<std::string> path = heading_;
      path.insert(path.end(), b.heading_path.begin(), b.heading_path.end());
      b.heading_path = std::move(path);
      b.line_start = b.line_end = 0;  // lines of a decoded part, not of the file
      doc_.blocks.push_back(std::move(b));
    }
    for (auto& w : d.warnings) doc_.warnings.push_back(std::move(w));
  }

  void object(GMimeObject* o, int depth) {
    if (++visited_ > kMaxMimeParts || depth > kMaxMimeDepth) {
      truncated_ = true;
      return;
    }
    if (GMIME_IS_MULTIPART(o)) {
      GMimeMultipart* mp = GMIME_MULTIPART(o);
      int n = g_mime_multipart_get_count(mp);
      if (is_type(o, "multipart", "alternative")) {
        if (GMimeObject* best = best_alternative(mp, n)) object(best, depth + 1);
        return;
      }
      for (int i = 0; i < n && !truncated_; ++i)
        object(g_mime_multipart_get_part(mp, i), depth + 1);
      return;
    }
    if (GMIME_IS_MESSAGE_PART(o)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
      if (!inner) return;
      add(BlockKind::kParagraph, "Forwarded message", {});
      header_block(inner, false);
      if (GMimeObject* body = g_mime_message_get_mime_part(inner)) object(body, depth + 1);
      return;
    }
    if (!GMIME_IS_PART(o)) return;
    if (is_attachment(o)) {
      attachment(GMIME_PART(o));
      return;
    }
    text_part(o);
  }

  static GMimeObject* best_alternative(GMimeMultipart* mp, int n) {
    GMimeObject* html = nullptr;
    GMimeObject* last = nullptr;
    for (int i = 0; i < n; ++i) {
      GMimeObject* c = g_mime_multipart_get_part(mp, i);
      if (is_type(c, "text", "plain") && !is_attachment(c)) return c;
      if (!html && is_type(c, "text", "html")) html = c;
      last = c;
    }
    return html ? html : last;
  }

  void text_part(GMimeObject* o) {
    std::string raw = part_bytes(GMIME_PART(o));
    const char* cs = g_mime_object_get_content_type_parameter(o, "charset");
    Decoded d = decode_declared_charset(raw, cs ? cs : "");
    if (d.replacements) {
      doc_.warnings.push_back("invalid bytes for charset " + std::string(cs ? cs : "(none)") +
                              " replaced at " + std::to_string(d.replacements) + " places");
    }
    if (is_type(o, "text", "html")) {
      // The BOM tells the HTML parser the bytes are UTF-8 whatever a <meta> says.
      add_parsed(parse_html("\xEF\xBB\xBF" + d.text));
      return;
    }
    plain_text(d.text);
  }

  // Quoted runs ('>' lines) become blocks of their own under "quoted reply"; the rest
  // goes through the text parser (paragraphs, man-page style headings).
  void plain_text(std::string_view text) {
    std::vector<std::string_view> lines = split_lines(text);
    size_t i = 0;
    while (i < lines.size()) {
      bool quoted = is_quoted(lines[i]);
      size_t end = i;
      while (end < lines.size() && (is_quoted(lines[end]) == quoted || is_blank(lines[end]))) ++end;
      std::string run;
      for (size_t k = i; k < end; ++k) {
        run.append(lines[k]);
        run.push_back('\n');
      }
      if (quoted) {
        add(BlockKind::kParagraph, std::string(trim(run)), {"quoted reply"});
      } else {
        add_parsed(parse_text(run));
      }
      i = end;
    }
  }

  std::string unique_name(std::string name) {
    if (name.empty()) name = "part-" + std::to_string(visited_);
    for (char& c : name)
      if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
    std::string candidate = name;
    for (int n = 2; !names_.insert(candidate).second; ++n)
      candidate = name + "~" + std::to_string(n);
    return candidate;
  }

  void attachment(GMimePart* part) {
    const char* fn = g_mime_part_get_filename(part);
    std::string name = unique_name(fn ? normalize_whitespace(fn) : "");
    std::string type = mime_type(GMIME_OBJECT(part));
    std::string bytes = part_bytes(part);
    std::string line = name + " (" + type + ", " + human_size(bytes.size()) + ")";
    DocType t = detect_type(name, std::string_view(bytes).substr(0, kDetectPrefixBytes));
    if (t != DocType::kUnknown && !bytes.empty() && opt_.max_part_depth > 0) {
      index_attachment(name, bytes, &line);
    }
    listed_.push_back(std::move(line));
  }

  void index_attachment(const std::string& name, const std::string& bytes, std::string* line) {
    ParseOptions sub = opt_;
    sub.known_parts = nullptr;
    sub.max_part_depth = opt_.max_part_depth - 1;
    DocumentPart p;
    p.key = key_prefix_ + "attachment/" + name;
    p.label = label_prefix_ + "attachment/" + name;
    p.content_hash = sha256_hex(bytes);
    p.doc = parse_bytes(bytes, DocType::kUnknown, name, sub);
    if (p.doc.fail != FailReason::kNone) {
      *line += ": not indexed, " + std::string(fail_reason_name(p.doc.fail));
      return;
    }
    *line += ": indexed as #" + p.label;
    std::vector<DocumentPart> nested = std::move(p.doc.parts);
    p.doc.parts.clear();
    std::string key = p.key, label = p.label;
    doc_.parts.push_back(std::move(p));
    for (DocumentPart& n : nested) {
      n.key = key + "/" + n.key;
      n.label = label + "/" + n.label;
      doc_.parts.push_back(std::move(n));
    }
  }

  void attachments_block() {
    if (listed_.empty()) return;
    std::string text = "Attachments:";
    for (const auto& l : listed_) text += "\n- " + l;
    add(BlockKind::kListItem, text, {"attachments"});
  }

  const ParseOptions& opt_;
  std::string key_prefix_, label_prefix_;
  ParsedDocument doc_;
  std::string date_;
  std::vector<std::string> heading_;
  std::vector<std::string> listed_;
  std::set<std::string> names_;
  int visited_ = 0;
  bool truncated_ = false;
};

}  // namespace

ParsedDocument parse_mail_message(std::string_view bytes, const ParseOptions& options,
                                  const std::string& key_prefix, const std::string& label_prefix) {
  init_gmime_once();
  ParsedDocument doc;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GMimeParserOptions* popt = g_mime_parser_options_new();
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(popt, fallback);
  GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), popt));
  g_mime_parser_options_free(popt);
  if (!msg) {
    doc.fail = FailReason::kParseError;
    doc.fail_detail = "no MIME message found";
    return doc;
  }
  return MessageWalker(options, key_prefix, label_prefix).run(msg.get());
}

std::string raw_message_id(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    std::string_view line = bytes.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return {};  // end of the header block
    constexpr std::string_view kName = "message-id:";
    if (line.size() > kName.size()) {
      bool match = true;
      for (size_t i = 0; i < kName.size() && match; ++i)
        match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
      if (match) {
        std::string v(trim(line.substr(kName.size())));
        if (eol < bytes.size() && v.empty()) {  // folded onto the next line
          size_t next = bytes.find('\n', eol + 1);
          v = std::string(trim(bytes.substr(
              eol + 1, next == std::string_view::npos ? std::string_view::npos : next - eol - 1)));
        }
        if (!v.empty() && v.front() == '<') v.erase(0, 1);
        if (!v.empty() && v.back() == '>') v.pop_back();
        return v;
      }
    }
    pos = eol + 1;
  }
  return {};
}

}  // namespace trove::ingest
