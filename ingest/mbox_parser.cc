// ingest/mbox_parser.cc — an mbox file: every message is a document of its own (a
// DocumentPart), the file itself only a container.
//
// Splitting: a message starts at a "From " postmark line (sender and a time) at the
// start of the file or after a blank line (mboxo/mboxrd write one before each); ">From " lines
// inside bodies are unescaped by one '>' (mboxrd). No MIME parse is needed to split, so a message
// whose key and content hash match ParseOptions::known_parts is reported unchanged without being
// parsed: re-indexing a grown mbox parses only new messages.
//
// Keys: the Message-ID, else "sha256:<hash prefix>" of the message; a key seen twice
// gets "~2". Labels: the message's number ("3"), kept from the stored part when known,
// otherwise its position or, when that number is taken, one past the highest stored
// number, so a deleted message renumbers nothing and new ones never reuse a number.
// Attachments of message 3 are "3/attachment/<name>".
#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "core/sha256.h"
#include "ingest/mail_detect.h"
#include "ingest/mail_message.h"
#include "ingest/parsers.h"

namespace trove::ingest {
namespace {

// Byte ranges [begin, end) of each message, "From " line excluded.
std::vector<std::pair<size_t, size_t>> split_mbox(std::string_view b) {
  std::vector<size_t> starts;
  bool prev_blank = true;
  for (size_t pos = 0; pos < b.size();) {
    size_t eol = b.find('\n', pos);
    if (eol == std::string_view::npos) eol = b.size();
    std::string_view line = b.substr(pos, eol - pos);
    if (prev_blank && is_mbox_postmark(line)) starts.push_back(pos);
    prev_blank = line.empty() || line == "\r";
    pos = eol + 1;
  }
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t from_eol = b.find('\n', starts[k]);
    size_t begin = from_eol == std::string_view::npos ? b.size() : from_eol + 1;
    size_t end = k + 1 < starts.size() ? starts[k + 1] : b.size();
    out.emplace_back(std::min(begin, end), end);
  }
  return out;
}

// mboxrd: ">From ", ">>From ", ... at a line start lose one '>'.
std::string unescape_from(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  for (size_t pos = 0; pos < m.size();) {
    size_t eol = m.find('\n', pos);
    size_t stop = eol == std::string_view::npos ? m.size() : eol + 1;
    std::string_view line = m.substr(pos, stop - pos);
    size_t q = 0;
    while (q < line.size() && line[q] == '>') ++q;
    if (q > 0 && line.compare(q, 5, "From ") == 0) line.remove_prefix(1);
    out.append(line);
    pos = stop;
  }
  return out;
}

int number_of(const std::string& label) {
  int n = 0;
  auto [p, ec] = std::from_chars(label.data(), label.data() + label.size(), n);
  return ec == std::errc() && p == label.data() + label.size() ? n : 0;
}

}  // namespace

ParsedDocument parse_mbox(std::string_view bytes, const ParseOptions& options) {
  ParsedDocument doc;
  const KnownParts empty;
  const KnownParts& known = options.known_parts ? *options.known_parts : empty;
  std::unordered_set<int> taken;
  int highest = 0;
  for (const auto& [key, part] : known) {
    int n = number_of(part.label);
    taken.insert(n);
    highest = std::max(highest, n);
  }
  std::unordered_set<std::string> keys;
  int position = 0;
  for (auto [begin, end] : split_mbox(bytes)) {
    ++position;
    std::string msg = unescape_from(bytes.substr(begin, end - begin));
    DocumentPart part;
    part.content_hash = sha256_hex(msg);
    std::string id = raw_message_id(msg);
    std::string key = id.empty() ? "sha256:" + part.content_hash.substr(0, 32) : id;
    part.key = key;
    for (int n = 2; !keys.insert(part.key).second; ++n) part.key = key + "~" + std::to_string(n);
    auto k = known.find(part.key);
    if (k != known.end()) {
      part.label = k->second.label;
    } else {
      int n = taken.count(position) ? ++highest : position;
      taken.insert(n);
      highest = std::max(highest, n);
      part.label = std::to_string(n);
    }
    if (k != known.end() && k->second.content_hash == part.content_hash) {
      part.unchanged = true;
      // Its attachments are unchanged too: report them so they are kept.
      std::string prefix = part.key + "/";
      doc.parts.push_back(std::move(part));
      for (const auto& [akey, a] : known) {
        if (akey.compare(0, prefix.size(), prefix) != 0) continue;
        DocumentPart att;
        att.key = akey;
        att.label = a.label;
        att.content_hash = a.content_hash;
        att.unchanged = true;
        doc.parts.push_back(std::move(att));
      }
      continue;
    }
    part.doc = parse_mail_message(msg, options, part.key + "/", part.label + "/");
    part.doc.type = DocType::kEmail;
    std::vector<DocumentPart> attachments = std::move(part.doc.parts);
    part.doc.parts.clear();
    doc.parts.push_back(std::move(part));
    for (auto& a : attachments) doc.parts.push_back(std::move(a));
  }
  if (doc.parts.empty()) {
    doc.fail = FailReason::kNoText;
    doc.fail_detail = "no messages found in the mbox";
  }
  return doc;
}

}  // namespace trove::ingest
