// ingest/mail_charset.h — text of a MIME part in its declared charset, as UTF-8.
//
// The declared charset (Content-Type charset=) wins: it is converted with iconv, and
// every byte sequence invalid in it becomes U+FFFD (counted in `replacements`). No
// charset, or one iconv does not know: the bytes go through decode_to_utf8's
// detection (ingest/encoding.h). Never fails.
#pragma once

#include <string_view>

#include "ingest/encoding.h"

namespace trove::ingest {

Decoded decode_declared_charset(std::string_view bytes, std::string_view charset);

}  // namespace trove::ingest
