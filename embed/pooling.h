// embed/pooling.h — which pooling an embedding GGUF wants, and how we know.
//
// A file's <arch>.pooling_type is the truth when present. Many converted files lack
// it, and mean-pooling a model trained with CLS pooling (bge, arctic-embed) gives
// vectors that still look plausible but retrieve worse — so when the key is missing
// the family's known default is used (family from general.name, general.basename or
// the file name, as for the prefixes): CLS for bge and arctic-embed; mean for MiniLM,
// nomic, e5 and anything unrecognised. The choice says where it came from, so that
// `trove models info` and the load log can say it.
#pragma once

#include <cstdint>
#include <string>

#include "core/gguf.h"

namespace trove {

struct PoolingChoice {
  uint64_t pooling_type = 1;  // llama.cpp's enum: 0 none, 1 mean, 2 cls, 3 last, 4 rank
  bool from_file = true;      // false: the key was missing and this is a default
  std::string family;         // the family the default came from ("unknown" if none)

  // "cls", "mean", ...; "type N" for values trove does not name.
  std::string name() const;
  // "from the file" / "bge family default (the file has no pooling_type)" / ...
  std::string source() const;
};

PoolingChoice choose_pooling(const GgufFile& file);

}  // namespace trove
