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

#include "core/sha256.h"

namespace trove::index {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader = "# trove models v1";

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
  if (f.size() != 10) {
    return make_error(where + ": expected 10 tab-separated fields, found " +
                      std::to_string(f.size()));
  }
  ModelEntry e;
  e.name = f[0];
  auto role = parse_role(f[1]);
  if (!role) return make_error(where + ": unknown role '" + f[1] + "' (expected embed or llm)");
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
  if (e.name.empty() || e.path.empty()) return make_error(where + ": empty name or path");
  return e;
}

int64_t arch_int(const GgufFile& f, const std::string& arch, const char* key) {
  return static_cast<int64_t>(f.uint_or(arch + "." + key, 0));
}

}  // namespace

std::string_view role_name(ModelRole r) {
  return r == ModelRole::kEmbed ? "embed" : "llm";
}

std::optional<ModelRole> parse_role(std::string_view s) {
  if (s == "embed") return ModelRole::kEmbed;
  if (s == "llm") return ModelRole::kLlm;
  return std::nullopt;
}

bool is_encoder_arch(std::string_view arch) {
  return arch == "bert" || arch == "nomic-bert" || arch == "jina-bert-v2";
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
      if (n == 1 && line != kHeader) {
        return make_error(file + ": line 1: unknown format '" + line + "' (expected '" +
                          std::string(kHeader) + "')");
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

Status ModelRegistry::save() const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return make_error(dir_ + ": cannot create: " + ec.message());
  ::chmod(dir_.c_str(), 0700);
  std::ostringstream out;
  out << kHeader << "\n";
  for (const ModelEntry& e : entries_) {
    out << e.name << '\t' << role_name(e.role) << '\t' << (e.is_default ? 1 : 0) << '\t' << e.size
        << '\t' << e.sha256 << '\t' << e.arch << '\t' << e.dims << '\t' << e.layers << '\t'
        << e.context << '\t' << e.path << '\n';
  }
  const std::string file = dir_ + "/registry.tsv";
  const std::string tmp = file + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << out.str();
    f.flush();
    if (!f) return make_error(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    std::remove(tmp.c_str());
    return make_error(file + ": cannot replace: " + std::strerror(errno));
  }
  return {};
}

}  // namespace trove::index
