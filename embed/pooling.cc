// embed/pooling.cc — see pooling.h.
#include "embed/pooling.h"

#include "embed/model_family.h"

namespace trove {

std::string PoolingChoice::name() const {
  switch (pooling_type) {
    case 0:
      return "none";
    case 1:
      return "mean";
    case 2:
      return "cls";
    case 3:
      return "last";
    case 4:
      return "rank";
    default:
      return "type " + std::to_string(pooling_type);
  }
}

std::string PoolingChoice::source() const {
  if (from_file) return "from the file";
  if (family == "unknown") return "assumed: the file has no pooling_type and no known family";
  return family + " family default (the file has no pooling_type)";
}

PoolingChoice choose_pooling(const GgufFile& file) {
  const std::string arch(file.string_or("general.architecture", ""));
  const std::string key = arch + ".pooling_type";
  PoolingChoice c;
  if (file.find(key) != nullptr) {
    c.pooling_type = file.uint_or(key, 1);
    return c;
  }
  c.from_file = false;
  c.family = detect_prefixes(file.string_or("general.name", ""),
                             file.string_or("general.basename", ""), file.path())
                 .family;
  // bge and arctic-embed were trained with the [CLS] vector as the sentence embedding;
  // MiniLM (sentence-transformers), nomic and e5 with the mean over tokens.
  c.pooling_type = c.family == "bge" || c.family == "arctic-embed" ? 2 : 1;
  return c;
}

}  // namespace trove
