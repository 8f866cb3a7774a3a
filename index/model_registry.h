// index/model_registry.h — the models trove knows about, and which one is the default
// for each role.
//
// Storage: HOME/models/ holds downloaded model files and registry.tsv, a small text
// file (one model per line, tab-separated: name, role, default flag, size, sha256,
// arch, embedding width, layers, context length, path, mtime in ns; first line
// "# trove models v2"; v1 files, without the mtime, are read too).
// A text file rather than a table in trove.db because models are chosen before any
// library exists and the file is easy to read and repair by hand. It is rewritten
// atomically (temp + rename) on every change. Names and paths may not contain tabs or
// newlines.
//
// Roles: "embed" accepts encoder architectures (bert, nomic-bert), "llm" decoder ones
// (llama, qwen2, qwen3, ...), "rerank" cross-encoders (an encoder with a
// classification head, tensor cls.weight or cls.output.weight); a file of the wrong
// kind is refused at add time. The first model added for a role becomes its default;
// `use` changes it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/gguf.h"
#include "core/result.h"

namespace trove::index {

enum class ModelRole { kEmbed, kLlm, kRerank };
std::string_view role_name(ModelRole r);
std::optional<ModelRole> parse_role(std::string_view s);

struct ModelEntry {
  std::string name;
  ModelRole role = ModelRole::kEmbed;
  bool is_default = false;
  uint64_t size = 0;
  std::string sha256;
  std::string arch;
  int64_t dims = 0;  // embedding_length
  int64_t layers = 0;
  int64_t context = 0;
  std::string path;  // absolute
  int64_t mtime_ns = 0;  // of the file when it was hashed; 0: unknown (hash on use)
};

// A model found by ModelRegistry::resolve, its file checked against the registry.
struct ResolvedModel {
  std::string name;
  std::string path;
  std::string sha256;
  bool registered = false;  // false: a .gguf path given directly
};

// What `trove models info` shows about a GGUF file.
struct ModelInfo {
  std::string arch;
  std::string name;  // general.name, may be empty
  uint64_t file_size = 0;
  uint64_t n_params = 0;
  int64_t dims = 0, layers = 0, context = 0, heads = 0, kv_heads = 0, vocab = 0;
  std::string tokenizer;      // tokenizer.ggml.model
  std::string pre_tokenizer;  // tokenizer.ggml.pre
  std::string chat_family;    // chatml, llama3, gemma, phi3, mistral, other; "" without template
  std::string pooling;         // encoders: "cls", "mean", ...; "" for decoders
  std::string pooling_source;  // encoders: "from the file" or which default applied
  std::map<std::string, int> tensor_types;     // type name -> tensor count
  std::map<std::string, uint64_t> type_bytes;  // type name -> bytes
};

ModelInfo describe_model(const GgufFile& f);
// Recognises a chat template's family from its marker tokens (never executes it).
std::string chat_template_family(std::string_view tmpl);
bool is_encoder_arch(std::string_view arch);
// An encoder with a classification head (a cross-encoder / reranker).
bool is_reranker(const GgufFile& f);
bool is_decoder_arch(std::string_view arch);

class ModelRegistry {
 public:
  // Reads HOME/models/registry.tsv if present; nothing is created until save().
  static Result<ModelRegistry> open(const std::string& home);

  const std::string& models_dir() const { return dir_; }
  const std::vector<ModelEntry>& entries() const { return entries_; }
  const ModelEntry* find(std::string_view name) const;
  const ModelEntry* default_for(ModelRole role) const;

  // Validates the file as a GGUF model of the role, hashes it and records it under
  // name (default: the file name without .gguf). Re-adding a name replaces its entry.
  Result<ModelEntry> add(const std::string& file, ModelRole role, std::string name = {});
  Status use(std::string_view name);
  Status remove(std::string_view name);

  // The one way to find a model: a registered name, a .gguf path, or "" for the
  // role's default (nullopt when the role has none). A registered model's file must
  // still be the file that was registered: missing, or a different size or SHA-256
  // (hashed again only when its mtime changed), is an error that says what to do —
  // vectors or answers from a different file than the one recorded are never made.
  Result<std::optional<ResolvedModel>> resolve(std::string_view name_or_path,
                                               ModelRole role) const;

  struct Verified {
    bool changed = false;  // size or SHA-256 differ from what was registered
    std::string old_sha256, new_sha256;
  };
  // Hashes a registered model's file again and records what it is now (the user
  // accepts a changed file). Call save() afterwards.
  Result<Verified> verify(std::string_view name);
  // Writes registry.tsv atomically, creating HOME/models (0700) if needed.
  Status save() const;

 private:
  std::string dir_;
  std::vector<ModelEntry> entries_;
};

}  // namespace trove::index
