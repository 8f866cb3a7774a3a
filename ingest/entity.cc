// ingest/entity.cc — HTML character references in Markdown text (&amp; &eacute; &#233;
// &#xE9;), named ones from libxml2's HTML entity table.
#include <libxml/HTMLparser.h>

#include <cctype>
#include <string>

#include "ingest/encoding.h"
#include "ingest/parsers.h"

namespace trove::ingest {

size_t decode_entity(std::string_view s, size_t i, std::string* out) {
  size_t semi = s.substr(i, 40).find(';');
  if (semi == std::string_view::npos || semi < 2) return 0;
  std::string name(s.substr(i + 1, semi - 1));
  if (name[0] != '#') {
    const htmlEntityDesc* e = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
    if (!e) return 0;
    append_utf8(out, static_cast<char32_t>(e->value));
    return semi + 1;
  }
  bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
  std::string_view digits = std::string_view(name).substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return 0;
  char32_t v = 0;
  for (char c : digits) {
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : hex && std::isxdigit(static_cast<unsigned char>(c))
                ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                : -1;
    if (d < 0) return 0;
    v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
  }
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) v = 0xFFFD;
  append_utf8(out, v);
  return semi + 1;
}

}  // namespace trove::ingest
