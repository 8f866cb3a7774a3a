// ingest/front_matter.h — the YAML (---) or TOML (+++) block at the top of a Markdown
// file, read as flat "key: value" metadata.
//
// Only top-level keys are read: scalars (quotes removed), flow lists "[a, b]" and block
// lists ("- a" lines) become "a, b"; nested mappings are skipped. Nothing is ever
// evaluated (no YAML tags, anchors or types). An unclosed block is not front matter.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace trove::ingest {

// Reads front matter from the first lines; returns the number of lines it spans
// (0 when there is none), filling *metadata.
size_t read_front_matter(const std::vector<std::string_view>& lines,
                         std::map<std::string, std::string>* metadata);

}  // namespace trove::ingest
