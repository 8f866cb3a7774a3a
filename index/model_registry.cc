// index/model_registry.cc — registry.tsv parsing/writing, role checks, model summary.
#include "index/model_registry.h"

#include "core/gguf_checks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/atomic_file.h"
#include "core/sha256.h"
#include "core/str_cat.h"
#include "embed/pooling.h"

namespace trove::index {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader = "# trove models v2";
constexpr std::string_view kHeaderV1 = "# trove models v1";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

bool clean(std::string_view s) {
  return s.find_first_of("\t\n\r") == std::string_view::npos;
}

Result<int64_t> to_int(const std::string& s, const std::string& where) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || v < 0) {
    return make_error(where + ": expected a number, found '" + s + "'");
  }
  return static_cast<int64_t>(v);
}

Result<ModelEntry> parse_line(const std::string& line, const std::string& where) {
  const auto f = split_tabs(line);
  if (f.size() != 10 && f.size() != 11) {
    return make_error(where + ": expected 11 tab-separated fields, found " +
                      std::to_string(f.size()));
  }
  ModelEntry e;
  e.name = f[0];
  auto role = parse_role(f[1]);
  if (!role)
    return make_error(where + ": unknown role '" + f[1] + "' (expected embed, llm or rerank)");
  e.role = *role;
  e.is_default = f[2] == "1";
  auto size = to_int(f[3], where + " size");
  auto dims = to_int(f[6], where + " dims");
  auto layers = to_int(f[7], where + " layers");
  auto ctx = to_int(f[8], where + " context");
  for (const auto* r : {&size, &dims, &layers, &ctx}) {
    if (!*r) return r->error();
  }
  e.size = static_cast<uint64_t>(*size);
  e.sha256 = f[4];
  e.arch = f[5];
  e.dims = *dims;
  e.layers = *layers;
  e.context = *ctx;
  e.path = f[9];
  if (f.size() == 11) {
    auto mt = to_int(f[10], where + " mtime");
    if (!mt) return mt.error();
    e.mtime_ns = *mt;
  }
  if (e.name.empty() || e.path.empty()) return make_error(where + ": empty name or path");
  return e;
}

int64_t mtime_of(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string short_sha(const std::string& s) {
  return s.substr(0, 12);
}

int64_t arch_int(const GgufFile& f, const std::string& arch, const char* key) {
  return static_cast<int64_t>(f.uint_or(arch + "." + key, 0));
}

}  // namespace

std::string_view role_name(ModelRole r) {
  switch (r) {
    case ModelRole::kEmbed:
      return "embed";
    case ModelRole::kLlm:
      return "llm";
    case ModelRole::kRerank:
      return "rerank";
  }
  return "embed";
}

std::optional<ModelRole> parse_role(std::string_view s) {
  if (s == "embed") return ModelRole::kEmbed;
  if (s == "llm") return ModelRole::kLlm;
  if (s == "rerank") return ModelRole::kRerank;
  return std::nullopt;
}

bool is_encoder_arch(std::string_view arch) {
  return arch == "bert" || arch == "nomic-bert" || arch == "jina-bert-v2";
}

bool is_reranker(const GgufFile& f) {
  auto arch = f.get_string("general.architecture");
  return arch.ok() && is_encoder_arch(*arch) &&
         (f.find_tensor("cls.weight") != nullptr || f.find_tensor("cls.output.weight") != nullptr);
}

bool is_decoder_arch(std::string_view arch) {
  for (std::string_view a : {"llama", "qwen2", "qwen3", "mistral", "gemma", "gemma2", "phi3",
                             "granite", "olmo", "stablelm", "smollm3"}) {
    if (arch == a) return true;
  }
  return false;
}

std::string chat_template_family(std::string_view t) {
  if (t.empty()) return "";
  auto has = [&](std::string_view m) { return t.find(m) != std::string_view::npos; };
  if (has("<|start_header_id|>")) return "llama3";
  if (has("<|im_start|>")) return "chatml";
  if (has("<start_of_turn>")) return "gemma";
  if (has("<|user|>") && has("<|end|>")) return "phi3";
  if (has("[INST]")) return "mistral";
  return "other";
}

ModelInfo describe_model(const GgufFile& f) {
  ModelInfo m;
  m.arch = std::string(f.string_or("general.architecture", ""));
  m.name = std::string(f.string_or("general.name", ""));
  m.file_size = f.file_size();
  m.dims = arch_int(f, m.arch, "embedding_length");
  m.layers = arch_int(f, m.arch, "block_count");
  m.context = arch_int(f, m.arch, "context_length");
  m.heads = arch_int(f, m.arch, "attention.head_count");
  m.kv_heads = arch_int(f, m.arch, "attention.head_count_kv");
  m.tokenizer = std::string(f.string_or("tokenizer.ggml.model", ""));
  m.pre_tokenizer = std::string(f.string_or("tokenizer.ggml.pre", ""));
  if (const GgufValue* toks = f.find("tokenizer.ggml.tokens"))
    m.vocab = static_cast<int64_t>(toks->count);
  m.chat_family = chat_template_family(f.string_or("tokenizer.chat_template", ""));
  if (is_encoder_arch(m.arch)) {
    const PoolingChoice p = choose_pooling(f);
    m.pooling = p.name();
    m.pooling_source = p.source();
  }
  for (const GgufTensorInfo& t : f.tensors()) {
    const std::string type(type_traits(t.type)->name);
    ++m.tensor_types[type];
    m.type_bytes[type] += t.nbytes;
    m.n_params += static_cast<uint64_t>(t.n_elements());
  }
  return m;
}

Result<ModelRegistry> ModelRegistry::open(const std::string& home) {
  ModelRegistry r;
  r.dir_ = (fs::path(home) / "models").string();
  const std::string file = r.dir_ + "/registry.tsv";
  std::ifstream in(file);
  if (!in) return r;  // no registry yet
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') {
      if (n == 1 && line != kHeader && line != kHeaderV1) {
        return make_error(
            str_cat({file, ": line 1: unknown format '", line, "' (expected '", kHeader, "')"}));
      }
      continue;
    }
    auto e = parse_line(line, file + ": line " + std::to_string(n));
    if (!e) return e.error();
    r.entries_.push_back(std::move(*e));
  }
  return r;
}

const ModelEntry* ModelRegistry::find(std::string_view name) const {
  for (const ModelEntry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const ModelEntry* ModelRegistry::default_for(ModelRole role) const {
  for (const ModelEntry& e : entries_) {
    if (e.role == role && e.is_default) return &e;
  }
  return nullptr;
}

Result<ModelEntry> ModelRegistry::add(const std::string& file, ModelRole role, std::string name) {
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec);
  if (ec) return make_error(file + ": " + ec.message());
  auto g = GgufFile::open(abs.string());
  if (!g) return g.error();
  const ModelInfo info = describe_model(*g);
  // The layer count recorded must be the one the tensors back (issue 15, fault 3).
  TROVE_TRY(gguf_check_block_count(*g, info.arch + ".block_count", info.layers));
  if (role == ModelRole::kEmbed && !is_encoder_arch(info.arch)) {
    return make_error(file + ": architecture '" + info.arch +
                      "' is not an embedding model (expected bert or nomic-bert); use --role llm");
  }
  if (role == ModelRole::kEmbed && is_reranker(*g)) {
    return make_error(file +
                      ": a reranker (it has a classification head, cls.weight), not an "
                      "embedding model; use --role rerank");
  }
  if (role == ModelRole::kRerank && !is_reranker(*g)) {
    return make_error(file + ": architecture '" + info.arch +
                      "' without a classification head (cls.weight) is not a reranker; " +
                      (is_encoder_arch(info.arch) ? "use --role embed" : "use --role llm"));
  }
  if (role == ModelRole::kLlm && !is_decoder_arch(info.arch)) {
    return make_error(file + ": architecture '" + info.arch +
                      "' is not a text generation model; use --role embed for encoders");
  }
  if (name.empty()) {
    name = abs.filename().string();
    if (name.size() > 5 && name.ends_with(".gguf")) name.resize(name.size() - 5);
  }
  if (!clean(name) || !clean(abs.string())) {
    return make_error(file + ": names and paths may not contain tabs or newlines");
  }
  auto sha = sha256_file(abs.string());
  if (!sha) return sha.error();
  ModelEntry e;
  e.name = name;
  e.role = role;
  e.size = info.file_size;
  e.sha256 = *sha;
  e.arch = info.arch;
  e.dims = info.dims;
  e.layers = info.layers;
  e.context = info.context;
  e.path = abs.lexically_normal().string();
  struct stat st {};
  if (::stat(e.path.c_str(), &st) == 0) e.mtime_ns = mtime_of(st);
  const ModelEntry* old = find(name);
  e.is_default = old ? old->is_default && old->role == role : default_for(role) == nullptr;
  std::erase_if(entries_, [&](const ModelEntry& x) { return x.name == name; });
  if (default_for(role) == nullptr) e.is_default = true;
  entries_.push_back(e);
  return e;
}

Status ModelRegistry::use(std::string_view name) {
  const ModelEntry* e = find(name);
  if (e == nullptr)
    return make_error("no model named '" + std::string(name) + "' (see trove models list)");
  const ModelRole role = e->role;
  for (ModelEntry& x : entries_) {
    if (x.role == role) x.is_default = x.name == name;
  }
  return {};
}

Status ModelRegistry::remove(std::string_view name) {
  const ModelEntry* e = find(name);
  if (e == nullptr) return make_error("no model named '" + std::string(name) + "'");
  const ModelRole role = e->role;
  std::erase_if(entries_, [&](const ModelEntry& x) { return x.name == name; });
  if (default_for(role) == nullptr) {
    for (ModelEntry& x : entries_) {
      if (x.role == role) {
        x.is_default = true;
        break;
      }
    }
  }
  return {};
}

Result<std::optional<ResolvedModel>> ModelRegistry::resolve(std::string_view want,
                                                            ModelRole role) const {
  const std::string what = std::string(role_name(role)) + " model";
  const ModelEntry* e = nullptr;
  if (want.empty()) {
    e = default_for(role);
    if (e == nullptr) return std::optional<ResolvedModel>();
  } else {
    e = find(want);
  }
  if (e == nullptr) {
    const std::string file(want);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      return make_error(what + " '" + file +
                        "': neither a registered model (trove models list) nor a file");
    }
    ResolvedModel r;
    r.path = fs::absolute(file, ec).lexically_normal().string();
    for (const ModelEntry& x : entries_)
      if (x.path == r.path) return resolve(x.name, role);
    r.name = fs::path(r.path).stem().string();
    auto h = sha256_file(r.path);
    if (!h) return h.error();
    r.sha256 = *h;
    return std::optional<ResolvedModel>(r);
  }
  if (e->role != role) {
    return make_error("model " + e->name + " is registered as " + std::string(role_name(e->role)) +
                      ", not as " + std::string(role_name(role)));
  }
  struct stat st {};
  if (::stat(e->path.c_str(), &st) != 0) {
    return make_error(what + " " + e->name + ": its file " + e->path + " is missing (" +
                      std::strerror(errno) + "): trove models pull " + e->name +
                      " if it is in the catalogue, or trove models add FILE --role " +
                      std::string(role_name(e->role)) + " --name " + e->name);
  }
  const std::string accept = ": if the change is intended run trove models verify " + e->name +
                             ", otherwise put the original file back (or pull/add it again)";
  if (static_cast<uint64_t>(st.st_size) != e->size) {
    return make_error(what + " " + e->name + ": " + e->path +
                      " changed since it was registered (size " + std::to_string(st.st_size) +
                      " bytes, registered " + std::to_string(e->size) + ")" + accept);
  }
  if (e->mtime_ns == 0 || mtime_of(st) != e->mtime_ns) {
    auto h = sha256_file(e->path);
    if (!h) return h.error();
    if (*h != e->sha256) {
      return make_error(what + " " + e->name + ": " + e->path +
                        " changed since it was registered (sha256 " + short_sha(*h) +
                        ", registered " + short_sha(e->sha256) + ")" + accept);
    }
  }
  return std::optional<ResolvedModel>(ResolvedModel{e->name, e->path, e->sha256, true});
}

Result<ModelRegistry::Verified> ModelRegistry::verify(std::string_view name) {
  ModelEntry* e = nullptr;
  for (ModelEntry& x : entries_)
    if (x.name == name) e = &x;
  if (e == nullptr)
    return make_error("no model named '" + std::string(name) + "' (see trove models list)");
  auto g = GgufFile::open(e->path);
  if (!g) return g.error();
  const ModelInfo info = describe_model(*g);
  auto sha = sha256_file(e->path);
  if (!sha) return sha.error();
  Verified v;
  v.old_sha256 = e->sha256;
  v.new_sha256 = *sha;
  v.changed = *sha != e->sha256 || info.file_size != e->size;
  e->sha256 = *sha;
  e->size = info.file_size;
  e->arch = info.arch;
  e->dims = info.dims;
  e->layers = info.layers;
  e->context = info.context;
  struct stat st {};
  if (::stat(e->path.c_str(), &st) == 0) e->mtime_ns = mtime_of(st);
  return v;
}

Status ModelRegistry::save() const {
  // The home may not exist yet (`trove models` before anything else): create it
  // private, like the library does.
  TROVE_TRY(make_private_dir(dir_));
  std::ostringstream out;
  out << kHeader << "\n";
  for (const ModelEntry& e : entries_) {
    out << e.name << '\t' << role_name(e.role) << '\t' << (e.is_default ? 1 : 0) << '\t' << e.size
        << '\t' << e.sha256 << '\t' << e.arch << '\t' << e.dims << '\t' << e.layers << '\t'
        << e.context << '\t' << e.path << '\t' << e.mtime_ns << '\n';
  }
  return write_file_atomic(dir_ + "/registry.tsv", out.str(), 0600);
}

}  // namespace trove::index
