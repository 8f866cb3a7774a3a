// cli/passage_format.cc — passage location, snippet and JSON (see passage_format.h).
#include "cli/passage_format.h"

#include "cli/printable.h"

namespace trove::cli {

std::string render_snippet(const std::string& snippet, const Style& style, bool for_terminal) {
  std::string out, run;
  out.reserve(snippet.size() + 32);
  bool last_space = true;  // no space at the start, none doubled
  const auto flush = [&] {
    out += for_terminal ? printable(run) : run;
    run.clear();
  };
  for (char c : snippet) {
    if (c == index::kMatchOpen) {
      flush();
      out += style.match;
    } else if (c == index::kMatchClose) {
      flush();
      out += style.reset;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      if (!last_space) run += ' ';
      last_space = true;
    } else {
      run += c;
      last_space = c == ' ';
    }
  }
  flush();
  return out;
}

}  // namespace trove::cli
