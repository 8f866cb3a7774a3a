// ingest/mail_charset.cc — iconv conversion of declared charsets (see mail_charset.h).
#include "ingest/mail_charset.h"

#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <string>

namespace trove::ingest {
namespace {

class Iconv {
 public:
  explicit Iconv(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  // iconv_open's failure value is (iconv_t)-1: the cast is its API.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool is_utf8_family(const std::string& cs) {
  return cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii";
}

}  // namespace

Decoded decode_declared_charset(std::string_view bytes, std::string_view charset) {
  std::string cs = lower(charset);
  // US-ASCII mail is very often UTF-8 or Latin-1 in fact: let detection look.
  if (cs.empty() || is_utf8_family(cs)) return decode_to_utf8(bytes);
  Iconv cd(cs);
  if (!cd.ok()) return decode_to_utf8(bytes);
  Decoded out;
  out.encoding = Encoding::kUtf8;
  std::string buf(4096, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's API is not const-correct
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf.data();
    size_t o_left = buf.size();
    size_t r = iconv(cd.get(), &in, &in_left, &o, &o_left);
    out.text.append(buf.data(), buf.size() - o_left);
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (truncated at the end): one byte becomes U+FFFD, go on.
    append_utf8(&out.text, 0xFFFD);
    ++out.replacements;
    ++in;
    --in_left;
    iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);
  }
  return out;
}

}  // namespace trove::ingest
