// embed/reranker.cc — see reranker.h.
#include "embed/reranker.h"

#include <algorithm>
#include <numeric>

namespace trove {

Reranker::Reranker(GgufFile file, RerankerParams params)
    : file_(std::move(file)), params_(params) {}

Reranker::~Reranker() = default;

Result<std::unique_ptr<Reranker>> Reranker::open(const std::string& gguf_path,
                                                 RerankerParams params) {
  auto file = GgufFile::open(gguf_path);
  if (!file.ok()) return file.error();
  if (params.n_threads <= 0) params.n_threads = default_thread_count();
  if (params.max_batch_tokens <= 0) params.max_batch_tokens = 4096;
  std::unique_ptr<Reranker> r(new Reranker(std::move(file).value(), params));
  auto encoder = Encoder::load(r->file_);
  if (!encoder.ok()) return encoder.error();
  r->encoder_ = std::move(encoder).value();
  auto head = ClsHead::load(r->file_, r->encoder_->hparams().n_embd);
  if (!head.ok()) return head.error();
  r->head_ = std::move(head).value();
  auto tokenizer = SequenceTokenizer::from_gguf(r->file_);
  if (!tokenizer.ok()) return tokenizer.error();
  r->tokenizer_ = std::move(tokenizer).value();
  const int64_t n_vocab = r->encoder_->hparams().n_vocab;
  if (static_cast<int64_t>(r->tokenizer_->vocab_size()) > n_vocab) {
    return make_error(gguf_path + ": tokenizer has " + std::to_string(r->tokenizer_->vocab_size()) +
                      " tokens but token_embd.weight only " + std::to_string(n_vocab) + " rows");
  }
  const auto n_ctx = static_cast<size_t>(r->encoder_->hparams().n_ctx);
  if (r->params_.max_pair_tokens == 0 || r->params_.max_pair_tokens > n_ctx) {
    r->params_.max_pair_tokens = n_ctx;
  }
  r->pool_ = std::make_unique<ThreadPool>(params.n_threads);
  r->path_ = gguf_path;
  r->model_name_ = std::string(r->file_.string_or("general.name", ""));
  return r;
}

TokenizedPair Reranker::tokenize(std::string_view query, std::string_view passage) const {
  TokenizedPair p = tokenizer_->encode_pair(query, passage, params_.max_pair_tokens);
  if (!params_.passage_type_1) std::fill(p.types.begin(), p.types.end(), 0);
  return p;
}

std::vector<float> Reranker::score(std::string_view query,
                                   const std::vector<std::string>& passages) {
  std::vector<TokenizedPair> pairs;
  pairs.reserve(passages.size());
  for (const std::string& p : passages) pairs.push_back(tokenize(query, p));
  return score_pairs(pairs);
}

// Sorted by length so each pass holds pairs of similar size (even attention work
// across threads); each pass is at most max_batch_tokens tokens.
std::vector<float> Reranker::score_pairs(const std::vector<TokenizedPair>& pairs) {
  std::vector<size_t> order(pairs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return pairs[a].ids.size() < pairs[b].ids.size(); });
  const auto n_ctx = static_cast<size_t>(encoder_->hparams().n_ctx);
  std::vector<float> out(pairs.size(), 0.0f);
  std::vector<std::vector<int32_t>> ids, types;
  std::vector<size_t> index;
  int64_t tokens = 0;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  auto flush = [&] {
    if (ids.empty()) return;
    const std::vector<float> x = encoder_->forward(ids, &types, pool_.get());
    const int64_t E = encoder_->hparams().n_embd;
    std::vector<float> first(ids.size() * static_cast<size_t>(E));
    size_t row = 0;
    for (size_t s = 0; s < ids.size(); ++s) {
      std::copy_n(x.data() + row * static_cast<size_t>(E), E,
                  first.data() + s * static_cast<size_t>(E));
      row += ids[s].size();
    }
    const std::vector<float> scores =
        head_.score(first.data(), static_cast<int64_t>(ids.size()), pool_.get());
    for (size_t s = 0; s < index.size(); ++s) out[index[s]] = scores[s];
    ids.clear();
    types.clear();
    index.clear();
    tokens = 0;
  };
  for (size_t i : order) {
    std::vector<int32_t> seq = pairs[i].ids;
    std::vector<int32_t> seg = pairs[i].types;
    seg.resize(seq.size(), 0);
    if (seq.size() > n_ctx) {
      seq.resize(n_ctx);
      seg.resize(n_ctx);
    }
    if (seq.empty()) continue;  // nothing to read: score 0
    const auto n = static_cast<int64_t>(seq.size());
    if (!ids.empty() && tokens + n > params_.max_batch_tokens) flush();
    ids.push_back(std::move(seq));
    types.push_back(std::move(seg));
    index.push_back(i);
    tokens += n;
  }
  flush();
  return out;
}

}  // namespace trove
