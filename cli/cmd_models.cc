// cli/cmd_models.cc — `trove models add|list|use|info|pull|remove|verify`: argv,
// printing and exit codes only; the registry (index/model_registry), catalogue (index/model_catalog)
// and downloads (core/download) do the work.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/json.h"
#include "cli/term.h"
#include "core/atomic_file.h"
#include "core/download.h"
#include "core/gguf.h"
#include "index/library.h"
#include "index/model_catalog.h"
#include "index/model_registry.h"

namespace trove::cli {
namespace {

struct ModelsArgs {
  std::string file, name, role = "", base_url;
  bool json = false, list_catalog = false;
};

int fail(const std::string& msg, int code = kExitUsage) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

// "how to get it" for a name that is not (or no longer) here.
std::string how_to_get(const std::string& name) {
  if (index::find_catalog_entry(name))
    return "trove models pull " + name + " downloads it";
  return "trove models add FILE --role embed|llm|rerank --name " + name +
         " registers a file under that name (trove models pull --list shows the catalogue)";
}

const index::CatalogEntry* catalog_for(const index::ModelEntry& e) {
  return index::find_catalog_entry(e.name);
}

Result<index::ModelRegistry> open_registry(const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths) return paths.error();
  return index::ModelRegistry::open(paths->home);
}

void print_entry_json(JsonWriter& w, const index::ModelEntry& e) {
  w.begin_object().key("name").value(e.name).key("role").value(index::role_name(e.role));
  w.key("default").value(e.is_default).key("arch").value(e.arch);
  w.key("dims").value(e.dims).key("layers").value(e.layers).key("context").value(e.context);
  w.key("size").value(static_cast<int64_t>(e.size)).key("sha256").value(e.sha256);
  w.key("path").value(e.path);
  const index::CatalogEntry* c = catalog_for(e);
  w.key("licence");
  if (c) {
    w.value(c->licence);
  } else {
    w.null();
  }
  w.key("pinned").value(c != nullptr && c->pinned()).end_object();
}

int run_add(const ModelsArgs& a, const GlobalOptions& g) {
  auto role = index::parse_role(a.role);
  if (!role) return fail("--role must be embed, llm or rerank");
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message);
  auto e = reg->add(a.file, *role, a.name);
  if (!e) return fail(e.error().message);
  if (auto st = reg->save(); !st) return fail(st.error().message);
  if (!g.quiet) {
    std::printf("added %s (%s, %s, %s)%s\n", e->name.c_str(), e->arch.c_str(),
                std::string(index::role_name(e->role)).c_str(), human_bytes(e->size).c_str(),
                reg->find(e->name)->is_default ? ", now the default" : "");
  }
  return 0;
}

int run_list(const ModelsArgs& a, const GlobalOptions& g) {
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message);
  if (a.json) {
    JsonWriter w;
    w.begin_array();
    for (const auto& e : reg->entries()) print_entry_json(w, e);
    w.end_array();
    std::printf("%s\n", w.str().c_str());
    return reg->entries().empty() ? 1 : 0;
  }
  if (reg->entries().empty()) {
    std::printf(
        "no models yet: trove models pull NAME (see trove models pull --list) or "
        "trove models add FILE --role embed|llm|rerank\n");
    return 1;
  }
  const Style st = Style::for_stream(stdout);
  for (const auto& e : reg->entries()) {
    const index::CatalogEntry* c = catalog_for(e);
    std::string licence = c ? std::string(c->licence) + (c->open_licence ? "" : " (not open)")
                            : std::string("-");
    std::printf("%s %s%-28s%s %-6s %-10s %5lld dims %9s  %-30s %s%s%s\n", e.is_default ? "*" : " ",
                st.bold.c_str(), e.name.c_str(), st.reset.c_str(),
                std::string(index::role_name(e.role)).c_str(), e.arch.c_str(),
                static_cast<long long>(e.dims), human_bytes(e.size).c_str(), licence.c_str(),
                st.path.c_str(), e.path.c_str(), st.reset.c_str());
    if (!std::filesystem::exists(e.path))
      std::printf("    file missing: %s\n", how_to_get(e.name).c_str());
  }
  return 0;
}

int run_use(const ModelsArgs& a, const GlobalOptions& g) {
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message, kExitLibrary);
  if (reg->find(a.name) == nullptr) {
    return fail("no model named '" + a.name + "' is registered: " + how_to_get(a.name),
                kExitModel);
  }
  if (auto st = reg->use(a.name); !st) return fail(st.error().message, kExitModel);
  if (auto st = reg->save(); !st) return fail(st.error().message, kExitLibrary);
  const auto* e = reg->find(a.name);
  if (!g.quiet) {
    std::printf("%s is now the default %s model\n", e->name.c_str(),
                std::string(index::role_name(e->role)).c_str());
  }
  // The choice is kept, but say now what would fail later.
  auto r = reg->resolve(a.name, e->role);
  if (!r) std::fprintf(stderr, "trove: warning: %s\n", r.error().message.c_str());
  return kExitOk;
}

int run_remove(const ModelsArgs& a, const GlobalOptions& g) {
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message, kExitLibrary);
  const index::ModelEntry* e = reg->find(a.name);
  if (e == nullptr) return fail("no model named '" + a.name + "' (see trove models list)", kExitModel);
  const std::string path = e->path;
  // A file trove downloaded into its models folder goes with the entry; a file the
  // user added from elsewhere is theirs and stays.
  const bool owned = path.rfind(reg->models_dir() + "/", 0) == 0;
  if (auto st = reg->remove(a.name); !st) return fail(st.error().message, kExitModel);
  if (auto st = reg->save(); !st) return fail(st.error().message, kExitLibrary);
  std::error_code ec;
  if (owned) std::filesystem::remove(path, ec);
  if (!g.quiet) {
    std::printf("removed %s%s\n", a.name.c_str(),
                owned ? (ec ? (" (could not delete " + path + ": " + ec.message() + ")").c_str()
                            : (" and deleted " + path).c_str())
                      : (" (the file " + path + " is left where it is)").c_str());
  }
  return kExitOk;
}

int run_verify(const ModelsArgs& a, const GlobalOptions& g) {
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message, kExitLibrary);
  auto v = reg->verify(a.name);
  if (!v) return fail(v.error().message, kExitModel);
  if (auto st = reg->save(); !st) return fail(st.error().message, kExitLibrary);
  if (!g.quiet) {
    if (v->changed) {
      std::printf(
          "%s: the file changed (sha256 %s, was %s); accepted. A library whose vectors were "
          "made with the old file needs trove index --reembed\n",
          a.name.c_str(), v->new_sha256.substr(0, 12).c_str(), v->old_sha256.substr(0, 12).c_str());
    } else {
      std::printf("%s: the file is unchanged (sha256 %s)\n", a.name.c_str(),
                  v->new_sha256.substr(0, 12).c_str());
    }
  }
  return kExitOk;
}

int run_info(const ModelsArgs& a, const GlobalOptions& g) {
  std::string file = a.file;
  if (auto reg = open_registry(g); reg && reg->find(a.file)) file = reg->find(a.file)->path;
  auto f = GgufFile::open(file);
  if (!f) return fail(f.error().message);
  const index::ModelInfo m = index::describe_model(*f);
  if (a.json) {
    JsonWriter w;
    w.begin_object().key("path").value(file).key("arch").value(m.arch).key("name").value(m.name);
    w.key("file_size").value(static_cast<int64_t>(m.file_size));
    w.key("params").value(static_cast<int64_t>(m.n_params));
    w.key("dims").value(m.dims).key("layers").value(m.layers).key("context").value(m.context);
    w.key("heads").value(m.heads).key("kv_heads").value(m.kv_heads).key("vocab").value(m.vocab);
    w.key("tokenizer").value(m.tokenizer).key("pre_tokenizer").value(m.pre_tokenizer);
    w.key("chat_template").value(m.chat_family);
    if (!m.pooling.empty()) {
      w.key("pooling").value(m.pooling).key("pooling_source").value(m.pooling_source);
    }
    w.key("tensor_types").begin_object();
    for (const auto& [type, n] : m.tensor_types) {
      w.key(type).begin_object().key("tensors").value(n);
      w.key("bytes").value(static_cast<int64_t>(m.type_bytes.at(type))).end_object();
    }
    w.end_object().end_object();
    std::printf("%s\n", w.str().c_str());
    return 0;
  }
  std::printf("file          %s (%s, GGUF v%u)\n", file.c_str(), human_bytes(m.file_size).c_str(),
              f->version());
  if (!m.name.empty()) std::printf("name          %s\n", m.name.c_str());
  std::printf("architecture  %s, %.1fM params\n", m.arch.c_str(),
              static_cast<double>(m.n_params) / 1e6);
  std::printf("shape         %lld layers, %lld wide, %lld heads", static_cast<long long>(m.layers),
              static_cast<long long>(m.dims), static_cast<long long>(m.heads));
  if (m.kv_heads) std::printf(" (%lld kv)", static_cast<long long>(m.kv_heads));
  std::printf("\ncontext       %lld tokens\n", static_cast<long long>(m.context));
  std::printf("tokenizer     %s%s%s, %lld tokens\n", m.tokenizer.c_str(),
              m.pre_tokenizer.empty() ? "" : " / ", m.pre_tokenizer.c_str(),
              static_cast<long long>(m.vocab));
  std::printf("chat template %s\n", m.chat_family.empty() ? "none" : m.chat_family.c_str());
  if (!m.pooling.empty()) {
    std::printf("pooling       %s (%s)\n", m.pooling.c_str(), m.pooling_source.c_str());
  }
  std::printf("tensor types ");
  for (const auto& [type, n] : m.tensor_types) {
    std::printf(" %s x%d (%s)", type.c_str(), n, human_bytes(m.type_bytes.at(type)).c_str());
  }
  std::printf("\n");
  return 0;
}

int list_catalog() {
  for (const auto& e : index::model_catalog()) {
    std::string licence = std::string(e.licence) + (e.open_licence ? "" : " (not open)");
    std::printf("%-26s %-5s %-6s %-36.*s %-30s %s\n", std::string(e.name).c_str(),
                std::string(index::role_name(e.role)).c_str(), std::string(e.quant).c_str(),
                static_cast<int>(e.note.size()), e.note.data(), licence.c_str(),
                e.pinned() ? "pinned" : "unpinned");
  }
  return 0;
}

int run_pull(const ModelsArgs& a, const GlobalOptions& g) {
  if (a.list_catalog || a.name.empty()) return list_catalog();
  const index::CatalogEntry* c = index::find_catalog_entry(a.name);
  if (c == nullptr) {
    return fail("unknown model '" + a.name + "' (trove models pull --list shows the catalogue)");
  }
  auto reg = open_registry(g);
  if (!reg) return fail(reg.error().message);
  std::string base = a.base_url;
  if (base.empty()) {
    const char* env = std::getenv("TROVE_HF_BASE");
    base = env && *env ? env : std::string(index::kDefaultModelBase);
  }
  if (auto st = make_private_dir(reg->models_dir()); !st)
    return fail(st.error().message, kExitLibrary);
  DownloadOptions o;
  o.url = index::catalog_url(*c, base);
  o.dest = reg->models_dir() + "/" + std::string(c->file);
  if (c->pinned()) {
    o.expected_size = c->size;
    o.expected_sha256 = std::string(c->sha256);
  } else if (const index::ModelEntry* prev = reg->find(c->name); prev && !prev->sha256.empty()) {
    // Unpinned: the first download recorded what it got; a different file is refused.
    o.expected_size = prev->size;
    o.expected_sha256 = prev->sha256;
  }
  // cli/term's ProgressBar counts files; a download wants bytes and a rate.
  const bool draw = !g.quiet && is_tty(stderr);
  const auto start = std::chrono::steady_clock::now();
  o.progress = [draw, start](uint64_t done, uint64_t total) {
    if (!draw) return true;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\r\x1b[2K%s / %s  %s/s", human_bytes(done).c_str(),
                 total ? human_bytes(total).c_str() : "?",
                 human_bytes(static_cast<uint64_t>(done / std::max(s, 0.001))).c_str());
    return true;
  };
  if (!g.quiet) std::fprintf(stderr, "downloading %s\n", o.url.c_str());
  auto r = download_file(o);
  if (draw) std::fprintf(stderr, "\r\x1b[2K");
  if (!r) return fail(r.error().message, kExitModel);
  auto e = reg->add(r->path, c->role, std::string(c->name));
  if (!e) return fail(e.error().message);
  if (auto st = reg->save(); !st) return fail(st.error().message);
  if (!g.quiet) {
    std::printf("pulled %s (%s, %s%s) sha256 %s\n", e->name.c_str(), e->arch.c_str(),
                human_bytes(e->size).c_str(), r->resumed_from ? ", resumed" : "",
                e->sha256.c_str());
  }
  return 0;
}

RunFn setup_models(CLI::App& app, const GlobalOptions& global) {
  auto a = std::make_shared<ModelsArgs>();
  CLI::App* cmd = app.add_subcommand("models", "Add, list, choose, inspect and download models");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto* add = cmd->add_subcommand("add", "Register a GGUF file as an embed, llm or rerank model");
  add->add_option("file", a->file, "GGUF file")->required();
  add->add_option("--role", a->role, "embed, llm or rerank")->required();
  add->add_option("--name", a->name, "Name (default: the file name without .gguf)");
  auto* list = cmd->add_subcommand("list", "Registered models (* marks each role's default)");
  list->add_flag("--json", a->json, "Print a JSON array");
  auto* use = cmd->add_subcommand("use", "Make a model the default for its role");
  use->add_option("name", a->name, "Model name")->required();
  auto* info = cmd->add_subcommand("info", "Describe a GGUF file (or a registered model)");
  info->add_option("file", a->file, "GGUF file or model name")->required();
  info->add_flag("--json", a->json, "Print one JSON object");
  auto* remove = cmd->add_subcommand(
      "remove", "Forget a registered model (deletes the file only if trove downloaded it)");
  remove->add_option("name", a->name, "Model name")->required();
  auto* verify = cmd->add_subcommand(
      "verify", "Hash a registered model's file again and accept it as it is now");
  verify->add_option("name", a->name, "Model name")->required();
  auto* pull = cmd->add_subcommand("pull", "Download a model from the built-in catalogue");
  pull->add_option("name", a->name, "Catalogue name");
  pull->add_flag("--list", a->list_catalog, "Show the catalogue");
  pull->add_option("--base-url", a->base_url,
                   "Mirror with the same /REPO/resolve/main/FILE layout (env TROVE_HF_BASE)");
  return [a, &global, add, list, use, info, pull, remove, verify]() -> int {
    if (remove->parsed()) return run_remove(*a, global);
    if (verify->parsed()) return run_verify(*a, global);
    if (add->parsed()) return run_add(*a, global);
    if (list->parsed()) return run_list(*a, global);
    if (use->parsed()) return run_use(*a, global);
    if (info->parsed()) return run_info(*a, global);
    if (pull->parsed()) return run_pull(*a, global);
    return fail("models: missing subcommand");
  };
}

TROVE_REGISTER_COMMAND("models", 70, setup_models);

}  // namespace
}  // namespace trove::cli
