// ingest/mail_message.h — one RFC 5322 message (MIME through GMime 3) as a document.
//
// The document: title = Subject (RFC 2047 decoded), metadata from/to/cc/date/subject/
// message_id, a first block with those headers (so they are searchable), then the
// body. Body rules: transfer encodings (quoted-printable, base64) and each part's
// declared charset are decoded (mail_charset.h); multipart/alternative takes the
// text/plain child, else the HTML child through the HTML parser; quoted replies
// (lines starting with '>') are kept, in blocks of their own under the heading
// "quoted reply"; a forwarded message (message/rfc822) is read inline. Every block's
// heading path starts with "Subject (date)", so citations show Subject and Date.
//
// Attachments: each is listed in an "Attachments" block (name, type, size); one whose
// content is a format trove reads becomes a DocumentPart with key
// `key_prefix + "attachment/" + name` (names made unique), parsed with parse_bytes
// (its own parts lifted to this level, keys prefixed with its key + '/').
//
// Limits (hostile mail): at most kMaxMimeParts MIME parts are visited and nesting is
// followed kMaxMimeDepth deep; past either, a warning says what was not read.
#pragma once

#include <string>
#include <string_view>

#include "ingest/document.h"
#include "ingest/parse.h"

namespace trove::ingest {

inline constexpr int kMaxMimeParts = 1000;
inline constexpr int kMaxMimeDepth = 64;

// `bytes` is one message without an mbox "From " line. Fails (kParseError) only when
// GMime finds no message at all.
ParsedDocument parse_mail_message(std::string_view bytes, const ParseOptions& options,
                                  const std::string& key_prefix, const std::string& label_prefix);

// The Message-ID header of the message in `bytes` (without <>), read from the raw
// header block without a MIME parse; "" when there is none.
std::string raw_message_id(std::string_view bytes);

}  // namespace trove::ingest
