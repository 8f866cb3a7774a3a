// embed/embedder.cc — see embedder.h.
#include "embed/embedder.h"

#include <algorithm>
#include <numeric>

namespace trove {

Embedder::Embedder(GgufFile file, std::unique_ptr<SequenceTokenizer> tokenizer,
                   EmbedderParams params)
    : file_(std::move(file)), tokenizer_(std::move(tokenizer)), params_(params) {}

Embedder::~Embedder() = default;

Result<std::unique_ptr<Embedder>> Embedder::open(const std::string& gguf_path,
                                                 EmbedderParams params) {
  auto file = GgufFile::open(gguf_path);
  if (!file.ok()) return file.error();
  // The architecture first: a decoder model should say so, not fail on its tokenizer.
  auto encoder = Encoder::load(*file);
  if (!encoder.ok()) return encoder.error();
  if ((*encoder)->hparams().pooling == Pooling::kRank) {
    return make_error(gguf_path +
                      ": is a reranker (pooling_type 4, rank), not an embedding model; "
                      "add it with `trove models add --role rerank`");
  }
  auto tokenizer = SequenceTokenizer::from_gguf(*file);
  if (!tokenizer.ok()) return tokenizer.error();
  // Every id the tokenizer can produce needs a row in token_embd.weight.
  const int64_t n_vocab = (*encoder)->hparams().n_vocab;
  if (static_cast<int64_t>((*tokenizer)->vocab_size()) > n_vocab) {
    return make_error(gguf_path + ": tokenizer has " + std::to_string((*tokenizer)->vocab_size()) +
                      " tokens but token_embd.weight only " + std::to_string(n_vocab) + " rows");
  }
  if (params.n_threads <= 0) params.n_threads = default_thread_count();
  if (params.max_batch_tokens <= 0) params.max_batch_tokens = 4096;

  std::unique_ptr<Embedder> e(
      new Embedder(std::move(file).value(), std::move(tokenizer).value(), params));
  e->encoder_ = std::move(encoder).value();
  e->pool_ = std::make_unique<ThreadPool>(params.n_threads);
  e->model_name_ = std::string(e->file_.string_or("general.name", ""));
  e->prefixes_ =
      detect_prefixes(e->model_name_, e->file_.string_or("general.basename", ""), gguf_path);
  return e;
}

int Embedder::max_tokens() const {
  const auto n_ctx = static_cast<int64_t>(encoder_->hparams().n_ctx);
  const auto prefix = static_cast<int64_t>(tokenizer_->count_tokens(prefixes_.document));
  return static_cast<int>(std::max<int64_t>(1, n_ctx - 2 - prefix));
}

std::vector<float> Embedder::embed_query(std::string_view text) {
  return embed_with_prefix({std::string(text)}, prefixes_.query).front();
}

std::vector<std::vector<float>> Embedder::embed_documents(const std::vector<std::string>& texts) {
  return embed_with_prefix(texts, prefixes_.document);
}

std::vector<std::vector<float>> Embedder::embed_texts(const std::vector<std::string>& texts) {
  return embed_with_prefix(texts, "");
}

// Tokenizes everything, then runs forward passes over groups of texts of similar
// length (sorted), each group at most max_batch_tokens tokens, so that attention work
// is even across the pool's threads and scratch memory stays bounded.
std::vector<std::vector<float>> Embedder::embed_with_prefix(const std::vector<std::string>& texts,
                                                            std::string_view prefix) {
  const auto n_ctx = static_cast<size_t>(encoder_->hparams().n_ctx);
  std::vector<std::vector<int32_t>> ids(texts.size());
  std::string buf;
  for (size_t i = 0; i < texts.size(); ++i) {
    buf.assign(prefix);
    buf.append(texts[i]);
    ids[i] = tokenizer_->encode(buf, /*add_special=*/true, n_ctx);
  }
  std::vector<size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ids[a].size() < ids[b].size(); });

  std::vector<std::vector<float>> out(texts.size());
  std::vector<std::vector<int32_t>> batch;
  std::vector<size_t> batch_index;
  int64_t batch_tokens = 0;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  auto flush = [&] {
    if (batch.empty()) return;
    auto vecs = encoder_->embed_batch(batch, pool_.get());
    for (size_t j = 0; j < vecs.size(); ++j) out[batch_index[j]] = std::move(vecs[j]);
    batch.clear();
    batch_index.clear();
    batch_tokens = 0;
  };
  for (size_t i : order) {
    const auto n = static_cast<int64_t>(ids[i].size());
    if (!batch.empty() && batch_tokens + n > params_.max_batch_tokens) flush();
    batch.push_back(std::move(ids[i]));
    batch_index.push_back(i);
    batch_tokens += n;
  }
  flush();
  return out;
}

}  // namespace trove
