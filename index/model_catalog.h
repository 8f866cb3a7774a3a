// index/model_catalog.h — the built-in list of models `trove models pull NAME` knows,
// as Hugging Face repository + file names. The download host appears only here
// (kDefaultModelBase); --base-url / $TROVE_HF_BASE replace it, e.g. with a local
// mirror that has the same /REPO/resolve/main/FILE layout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "index/model_registry.h"

namespace trove::index {

struct CatalogEntry {
  std::string_view name;  // what the user types, e.g. "qwen2.5-0.5b-instruct"
  ModelRole role;
  std::string_view repo;  // Hugging Face "owner/repo"
  std::string_view file;  // GGUF file in that repo
  std::string_view quant;
  std::string_view note;  // one line for `models pull --list`
  std::string_view licence;  // SPDX id where there is one, else the licence's name
  bool open_licence = true;  // false: restrictions beyond an OSI licence (read it first)
  // Pins, where the publisher states them: a download that differs is refused and
  // removed. 0 / "": unpinned; the first download records what it got (registry).
  uint64_t size = 0;
  std::string_view sha256;
  bool pinned() const { return size != 0 && !sha256.empty(); }
};

inline constexpr std::string_view kDefaultModelBase = "https://huggingface.co";

const std::vector<CatalogEntry>& model_catalog();
const CatalogEntry* find_catalog_entry(std::string_view name);
// base + "/" + repo + "/resolve/main/" + file (base without trailing slash).
std::string catalog_url(const CatalogEntry& e, std::string_view base);

}  // namespace trove::index
