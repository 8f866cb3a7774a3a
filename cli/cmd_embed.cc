// cli/cmd_embed.cc — `trove embed --model FILE [TEXT...]`: the pooled, L2-normalised
// embedding of each TEXT (or of each line of stdin when no TEXT is given), one JSON
// array per line, floats in full precision (%.9g), for checking an embedding model
// against a reference. Texts are embedded as given; --query / --document add the model
// family's instruction prefix as search and indexing do.
// Exit: 0 printed, 2 error.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "embed/embedder.h"

namespace trove::cli {
namespace {

struct EmbedArgs {
  std::string model;
  std::vector<std::string> texts;
  bool query = false;
  bool document = false;
  int threads = 0;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return 2;
}

void print_vector(const std::vector<float>& v) {
  std::string out = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, i == 0 ? "%.9g" : ",%.9g", static_cast<double>(v[i]));
    out += buf;
  }
  out += "]\n";
  std::fputs(out.c_str(), stdout);
}

int run_embed(EmbedArgs& a) {
  if (a.query && a.document) return fail("embed: --query and --document exclude each other");
  if (a.texts.empty()) {
    for (std::string line; std::getline(std::cin, line);) a.texts.push_back(line);
  }
  EmbedderParams params;
  params.n_threads = a.threads;
  auto emb = Embedder::open(a.model, params);
  if (!emb.ok()) return fail(emb.error().message);
  std::vector<std::vector<float>> vecs;
  if (a.query) {
    for (const auto& t : a.texts) vecs.push_back((*emb)->embed_query(t));
  } else if (a.document) {
    vecs = (*emb)->embed_documents(a.texts);
  } else {
    vecs = (*emb)->embed_texts(a.texts);
  }
  for (const auto& v : vecs) {
    for (float x : v) {
      if (!std::isfinite(x)) {
        return fail(a.model +
                    ": the model produced a non-finite value (NaN or infinity); "
                    "the file is damaged or its parameters are wrong");
      }
    }
  }
  for (const auto& v : vecs) print_vector(v);
  return 0;
}

RunFn setup_embed(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<EmbedArgs>();
  auto* cmd = app.add_subcommand(
      "embed", "Print the embedding of each TEXT (or stdin line) as a JSON array");
  cmd->add_option("--model", args->model, "GGUF embedding model (bert, nomic-bert)")->required();
  cmd->add_flag("--query", args->query, "Add the model family's query prefix");
  cmd->add_flag("--document", args->document, "Add the model family's document prefix");
  cmd->add_option("-t,--threads", args->threads, "Threads (default: physical cores, max 8)");
  cmd->add_option("text", args->texts, "Texts to embed (default: one per stdin line)");
  return [args] { return run_embed(*args); };
}

}  // namespace

TROVE_REGISTER_COMMAND("embed", 91, setup_embed);

}  // namespace trove::cli
