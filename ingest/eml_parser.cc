// ingest/eml_parser.cc — a single e-mail file (.eml): the message is the document,
// its readable attachments are parts "attachment/<name>" (see mail_message.h).
#include "ingest/mail_message.h"
#include "ingest/parsers.h"

namespace trove::ingest {

ParsedDocument parse_email(std::string_view bytes, const ParseOptions& options) {
  return parse_mail_message(bytes, options, "", "");
}

}  // namespace trove::ingest
