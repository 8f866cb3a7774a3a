// generate/model_arch.cc — the list of supported decoder architectures.
#include "generate/model_arch.h"

namespace trove {

const ArchSpec* find_arch(std::string_view name) {
  for (const ArchSpec* spec : {&llama_arch(), &qwen2_arch(), &qwen3_arch()}) {
    if (spec->name == name) return spec;
  }
  return nullptr;
}

std::string_view supported_arch_names() {
  return "llama, qwen2, qwen3";
}

}  // namespace trove
