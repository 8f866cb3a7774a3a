// ingest/mail_detect.h — is this an e-mail (.eml) or an mbox? (called by detect_type)
//
// mbox: textual bytes that start with a "From " postmark line (any name), or a .mbox
// name whose first line is one. E-mail: an .eml name with textual bytes, or bytes
// opening with an RFC 5322 header block (no blank line first, only "Name: value" and
// folded lines) that has at least three of From/To/Subject/Date/Message-ID/
// MIME-Version/Received/Return-Path, one of them Message-ID, MIME-Version, Received
// or Return-Path (so a note that begins "Subject: ..." stays text). kUnknown when neither.
#pragma once

#include <string_view>

#include "ingest/document.h"

namespace trove::ingest {

DocType detect_mail(std::string_view path, std::string_view first_bytes);

// "From sender Wed Dec  2 20:39:18 2026": a "From " line that also carries a time (so
// "From here on we walk." is not one), as mbox writers put before every message.
bool is_mbox_postmark(std::string_view line);

}  // namespace trove::ingest
