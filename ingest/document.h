// ingest/document.h — what parsers produce and the chunker consumes.
//
// A parser turns one file's bytes into a ParsedDocument: a title, metadata and an
// ordered list of text Blocks, each carrying its structure (kind, heading path, page
// or line span). The chunker packs blocks into Chunks for the index.
//
// One file may hold several documents (the messages of an mbox, the attachments of an
// e-mail): those come back as `parts`, each a document of its own with a key that is
// stable inside the file (a Message-ID, "attachment/report.pdf") and a label that
// citations show after '#' ("archive.mbox#3"). A file whose documents are all parts
// (an mbox) has no blocks of its own and is then a container, not a document.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trove::ingest {

enum class DocType {
  kUnknown, kMarkdown, kText, kHtml, kPdf, kDocx, kOdt, kEpub, kEmail, kMbox, kImage
};
// "markdown", "text", "html", "pdf", "docx", "odt", "epub", "email", "mbox", "image"
const char* doc_type_name(DocType t);

enum class BlockKind { kHeading, kParagraph, kListItem, kCode, kTable, kPage };

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::string text;                       // UTF-8, whitespace-normalised except in code
  std::vector<std::string> heading_path;  // enclosing headings, outermost first
  int heading_level = 0;                  // for kHeading: 1..6
  int page = 0;                           // 1-based PDF page; 0 when not paged
  int line_start = 0;                     // 1-based source lines; 0 when unknown
  int line_end = 0;
  // Where source lines line_start+1, line_start+2, ... begin in `text`, for parsers
  // that join a block's lines (plain text): lets the chunker give each piece of a split
  // block its own line span. Empty when unknown; then every piece gets the block's span.
  std::vector<uint32_t> line_offsets;
};

// Why a file produced no document. kNone means it parsed.
enum class FailReason {
  kNone,
  kUnreadable,   // could not open/read (permissions, I/O error, vanished)
  kTooLarge,     // over the size limit
  kUnsupported,  // binary or unknown type
  kEncrypted,    // password-protected PDF
  kNoText,       // no extractable text (e.g. image-only PDF)
  kParseError,   // malformed beyond recovery
  kMismatch,     // named as one document type, content is another ("named .pdf but is HTML")
  kSkipped,      // not a document at all (image, binary, archive, empty): "skipped", not failed
  kOverBudget,   // parsing ran past its time or memory budget
};
const char* fail_reason_name(FailReason r);  // "unreadable", "too-large", ...

struct DocumentPart;

// One page's OCR text (ingest/ocr.h), as recognised or as found in the OCR cache.
struct OcrPage {
  int page = 0;            // 1-based page of the file (an image file's frames count as pages)
  std::string text;        // Tesseract's text, lines and blank-line paragraphs kept
  int confidence = 0;      // mean word confidence, 0–100
  double seconds = 0;      // recognition time when it was recognised
  bool from_cache = false;  // reused from the cache in this parse
};

struct ParsedDocument {
  DocType type = DocType::kUnknown;
  std::string title;
  std::map<std::string, std::string> metadata;  // e.g. front matter "tags"
  std::vector<Block> blocks;
  int page_count = 0;
  FailReason fail = FailReason::kNone;
  std::string fail_detail;            // human-readable reason when fail != kNone
  std::vector<std::string> warnings;  // e.g. "invalid UTF-8 replaced at 12 places"
  std::vector<DocumentPart> parts;    // further documents inside this file, in file order
  std::vector<OcrPage> ocr_pages;     // pages whose text came from OCR (ingest/ocr.h)
};

// A document inside a file. `content_hash` is the SHA-256 (hex) of the part's own bytes;
// when it equals what ParseOptions::known_parts says for `key`, the parser may skip the
// part's parsing and set `unchanged` (then `doc` is empty and the stored one is kept).
struct DocumentPart {
  std::string key;    // stable identity within the file; unique among the file's parts
  std::string label;  // shown after '#' in citations: "3", "attachment/report.pdf"
  std::string content_hash;
  bool unchanged = false;
  ParsedDocument doc;
};

struct Chunk {
  int ordinal = 0;
  std::string text;
  std::vector<std::string> heading_path;
  int page_start = 0, page_end = 0;  // 0 when not paged
  int line_start = 0, line_end = 0;  // 0 when unknown
  int token_count = 0;
  int overlap_bytes = 0;  // leading bytes of text repeated from the previous chunk
};

}  // namespace trove::ingest
