// tests/decoder/decoder_fixture_test.cc — the decoder against the reference outputs in
// ../shared/fixtures/refs: cosine of the last prompt logits >= 0.999, and along the
// reference greedy continuation (teacher-forced) the same arg-max at every step whose
// reference top-1/top-2 margin is at least 0.1 x the std of that prompt's logits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "generate/model.h"
#include "generate/model_session.h"
#include "generate/sampler.h"
#include "tests/decoder/json_lite.h"

namespace trove {
namespace {

using testing::Json;

const std::string kFixtures = std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/";

double cosine(std::span<const float> a, std::span<const float> b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

double stddev(std::span<const float> v) {
  double mean = 0;
  for (float x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double var = 0;
  for (float x : v) var += (x - mean) * (x - mean);
  return std::sqrt(var / static_cast<double>(v.size()));
}

// Models load once per process; tests only read them.
const DecoderModel& model(const std::string& name) {
  static std::map<std::string, std::unique_ptr<DecoderModel>> cache;
  auto& slot = cache[name];
  if (!slot) {
    auto m = DecoderModel::open(kFixtures + "models/" + name + ".gguf");
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    if (!m.ok()) std::abort();
    slot = std::make_unique<DecoderModel>(std::move(m).value());
  }
  return *slot;
}

ThreadPool& pool() {
  static ThreadPool p(2);
  return p;
}

SessionOptions options(int64_t n_ctx = 0, int64_t n_batch = 512, KvType kv = KvType::kF16,
                       ThreadPool* p = &pool()) {
  SessionOptions o;
  o.n_ctx = n_ctx;
  o.n_batch = n_batch;
  o.kv_type = kv;
  o.pool = p;
  return o;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

std::vector<Json> refs(const std::string& name) {
  std::vector<Json> all = testing::read_jsonl(kFixtures + "refs/" + name + ".dev.jsonl");
  std::vector<Json> chat = testing::read_jsonl(kFixtures + "refs/" + name + ".chat.jsonl");
  for (Json& j : chat) {
    all.push_back(std::move(j));
  }
  return all;
}

class DecoderParity : public ::testing::TestWithParam<std::string> {};

TEST_P(DecoderParity, MatchesReferenceLogitsAndGreedySteps) {
  const DecoderModel& m = model(GetParam());
  const std::vector<Json> cases = refs(GetParam());
  ASSERT_GE(cases.size(), 7u);
  double worst_cos = 1;
  int checked_steps = 0;
  for (size_t c = 0; c < cases.size(); ++c) {
    const Json& ref = cases[c];
    SCOPED_TRACE("prompt " + std::to_string(c) + ": " + ref["prompt"].str);
    // Single-threaded here; the batching tests below run on the pool.
    auto session = DecoderSession::create(m, options(0, 512, KvType::kF16, nullptr));
    ASSERT_TRUE(session.ok()) << session.error().message;
    const std::vector<int32_t> prompt = ref["tokens"].ints();
    auto logits = session->eval(prompt);
    ASSERT_TRUE(logits.ok()) << logits.error().message;
    const std::vector<float> want = ref["last_logits"].floats();
    ASSERT_EQ(logits->size(), want.size());
    const double cos = cosine(*logits, want);
    worst_cos = std::min(worst_cos, cos);
    EXPECT_GE(cos, 0.999);

    const double min_margin = 0.1 * stddev(want);
    const Json& greedy = ref["greedy"];
    for (size_t i = 0; i < greedy.size(); ++i) {
      if (i > 0) {
        const int32_t prev[1] = {static_cast<int32_t>(greedy[i - 1]["token"].num)};
        logits = session->eval(prev);
        ASSERT_TRUE(logits.ok()) << logits.error().message;
      }
      const Json& top5 = greedy[i]["top5"];
      const double margin = top5[0][1].num - top5[1][1].num;
      if (margin < min_margin) continue;
      ++checked_steps;
      EXPECT_EQ(argmax(*logits), static_cast<int32_t>(greedy[i]["token"].num))
          << "step " << i << " (reference margin " << margin << ")";
    }
  }
  std::printf("[ %s ] worst cosine %.6f over %zu prompts, %d greedy steps checked\n",
              GetParam().c_str(), worst_cos, cases.size(), checked_steps);
  EXPECT_GT(checked_steps, 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecoderParity,
                         ::testing::Values("llama-spm-q8_0", "llama-spm-q4_k_m", "qwen2-bpe-q4_k_m",
                                           "llama3-bpe-q4_k_m", "qwen3-q4_k_m"),
                         test_name);

// The reference case with the longest prompt, for the tests below.
Json longest_ref(const std::string& name) {
  Json best;
  size_t best_len = 0;
  for (Json& j : refs(name)) {
    const size_t len = j["tokens"].size();
    if (len > best_len) {
      best_len = len;
      best = std::move(j);
    }
  }
  return best;
}

std::vector<float> eval_copy(DecoderSession& s, std::span<const int32_t> t) {
  auto r = s.eval(t);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::vector<float>(r->begin(), r->end()) : std::vector<float>{};
}

class DecoderBatching : public ::testing::TestWithParam<std::string> {};

// Prefill in one batch, in small batches, and token by token share the cache but not
// the arithmetic: batches take matmul tiles or dequantize + sgemm and GEMM attention,
// single tokens matvec and dot-loop attention. Rounding differences that small can
// still flip an int8 activation code downstream, so every mode is held to the
// reference bar and the same arg-max; the attention itself is compared tightly below.
TEST_P(DecoderBatching, PrefillEqualsTokenByToken) {
  const DecoderModel& m = model(GetParam());
  const Json ref = longest_ref(GetParam());
  const std::vector<int32_t> prompt = ref["tokens"].ints();
  const std::vector<float> want = ref["last_logits"].floats();
  ASSERT_GE(prompt.size(), 10u);

  auto whole = DecoderSession::create(m, options());
  ASSERT_TRUE(whole.ok());
  const std::vector<float> a = eval_copy(*whole, prompt);

  auto small = DecoderSession::create(m, options(0, 4));
  ASSERT_TRUE(small.ok());
  const std::vector<float> b = eval_copy(*small, prompt);

  auto single = DecoderSession::create(m, options());
  ASSERT_TRUE(single.ok());
  std::vector<float> c;
  for (int32_t t : prompt) c = eval_copy(*single, std::span<const int32_t>(&t, 1));
  EXPECT_EQ(single->n_past(), static_cast<int64_t>(prompt.size()));

  EXPECT_GE(cosine(a, want), 0.999);
  EXPECT_GE(cosine(b, want), 0.999);
  EXPECT_GE(cosine(c, want), 0.999);
  EXPECT_EQ(argmax(a), argmax(c));
  EXPECT_EQ(argmax(b), argmax(c));
}

// The F32 cache (twice the bytes) meets the same reference bar as the default F16 one.
TEST_P(DecoderBatching, F32CacheMeetsTheBarToo) {
  const DecoderModel& m = model(GetParam());
  const Json ref = longest_ref(GetParam());
  const std::vector<int32_t> prompt = ref["tokens"].ints();
  auto f16 = DecoderSession::create(m, options(0, 512, KvType::kF16));
  auto f32 = DecoderSession::create(m, options(0, 512, KvType::kF32));
  ASSERT_TRUE(f16.ok() && f32.ok());
  EXPECT_EQ(f32->kv_bytes(), 2 * f16->kv_bytes());
  EXPECT_GE(cosine(eval_copy(*f32, prompt), ref["last_logits"].floats()), 0.999);
}

// Layer-0 activations of every token, in token order, by name.
std::map<std::string, std::vector<float>> layer0(const DecoderModel& m,
                                                 std::span<const int32_t> prompt, int64_t n_batch) {
  std::map<std::string, std::vector<float>> cap;
  SessionOptions o = options(0, n_batch, KvType::kF32);
  o.on_activation = [&cap](const Activation& a) {
    if (a.layer == 0) {
      auto& rows = cap[std::string(a.name)];
      rows.insert(rows.end(), a.data, a.data + a.n_tokens * a.width);
    }
  };
  auto s = DecoderSession::create(m, o);
  EXPECT_TRUE(s.ok());
  if (s.ok()) {
    EXPECT_TRUE(s->eval(prompt).ok());
  }
  return cap;
}

// Causal softmax(q kᵀ / sqrt(d)) v in double precision from the captured (post-RoPE)
// queries, keys and values, with GQA's head-to-KV-head mapping.
std::vector<float> naive_attention(const DecoderParams& P, int64_t n, const std::vector<float>& q,
                                   const std::vector<float>& k, const std::vector<float>& v) {
  const int64_t hd = P.head_dim, hdv = P.head_dim_v, group = P.n_head / P.n_head_kv;
  std::vector<float> out(static_cast<size_t>(n * P.n_head * hdv));
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t h = 0; h < P.n_head; ++h) {
      const int64_t kvh = h / group;
      std::vector<double> w(static_cast<size_t>(t + 1));
      double top = -1e300, sum = 0;
      for (int64_t j = 0; j <= t; ++j) {
        double d = 0;
        for (int64_t i = 0; i < hd; ++i) {
          d += static_cast<double>(q[(t * P.n_head + h) * hd + i]) *
               k[(j * P.n_head_kv + kvh) * hd + i];
        }
        w[j] = d / std::sqrt(static_cast<double>(hd));
        top = std::max(top, w[j]);
      }
      for (double& x : w) sum += (x = std::exp(x - top));
      for (int64_t i = 0; i < hdv; ++i) {
        double acc = 0;
        for (int64_t j = 0; j <= t; ++j) acc += w[j] / sum * v[(j * P.n_head_kv + kvh) * hdv + i];
        out[(t * P.n_head + h) * hdv + i] = static_cast<float>(acc);
      }
    }
  }
  return out;
}

// Largest |a - b| relative to the largest |b|.
double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, mag = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    mag = std::max(mag, std::fabs(static_cast<double>(b[i])));
  }
  return mag > 0 ? diff / mag : diff;
}

// Batched attention (GEMMs over query blocks, causal cut per row) and one-query
// attention against a double-precision reference on the same inputs: the whole prompt
// in one batch (several query blocks), in batches of 5 (a cache to attend to, blocks
// that start mid-way), and one token at a time.
TEST_P(DecoderBatching, AttentionMatchesADoublePrecisionReference) {
  const DecoderModel& m = model(GetParam());
  std::vector<int32_t> prompt = longest_ref(GetParam())["tokens"].ints();
  while (prompt.size() < 80) prompt.insert(prompt.end(), prompt.begin(), prompt.end());
  const auto n = static_cast<int64_t>(prompt.size());
  for (int64_t n_batch : {n, int64_t{5}, int64_t{1}}) {
    auto cap = layer0(m, prompt, n_batch);
    const auto want = naive_attention(m.params(), n, cap["Qcur"], cap["Kcur"], cap["Vcur"]);
    ASSERT_EQ(cap["kqv_out"].size(), want.size());
    EXPECT_LT(max_rel_diff(cap["kqv_out"], want), 1e-5) << "n_batch " << n_batch;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecoderBatching,
                         ::testing::Values("llama-spm-q8_0", "qwen2-bpe-q4_k_m",
                                           "llama3-bpe-q4_k_m", "qwen3-q4_k_m"),
                         test_name);

TEST(DecoderSession, PromptOverTheContextIsAnError) {
  const DecoderModel& m = model("llama-spm-q8_0");
  auto s = DecoderSession::create(m, options(8, 512, KvType::kF16, nullptr));
  ASSERT_TRUE(s.ok());
  const std::vector<int32_t> nine(9, 1);
  auto r = s->eval(nine);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "prompt is 9 tokens; the context is 8");
  EXPECT_EQ(s->n_past(), 0);

  const std::vector<int32_t> five(5, 1), four(4, 1);
  ASSERT_TRUE(s->eval(five).ok());
  auto r2 = s->eval(four);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("context of 8"), std::string::npos) << r2.error().message;
  EXPECT_EQ(s->n_past(), 5);
  const std::vector<int32_t> three(3, 1);
  EXPECT_TRUE(s->eval(three).ok());
  EXPECT_EQ(s->n_past(), 8);
}

TEST(DecoderSession, ContextBeyondTrainingIsRefused) {
  const DecoderModel& m = model("llama-spm-q8_0");
  const int64_t train = m.params().n_ctx_train;
  auto s = DecoderSession::create(m, options(train + 1, 512, KvType::kF16, nullptr));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("training context of " + std::to_string(train)),
            std::string::npos)
      << s.error().message;
  EXPECT_TRUE(DecoderSession::create(m, options(train, 512, KvType::kF16, nullptr)).ok());
}

TEST(DecoderSession, TokenOutsideTheVocabularyIsAnError) {
  const DecoderModel& m = model("llama-spm-q8_0");
  auto s = DecoderSession::create(m, options(16, 512, KvType::kF16, nullptr));
  ASSERT_TRUE(s.ok());
  const std::vector<int32_t> bad = {1, 32000};
  auto r = s->eval(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("32000"), std::string::npos);
  const std::vector<int32_t> neg = {-1};
  EXPECT_FALSE(s->eval(neg).ok());
  EXPECT_EQ(s->n_past(), 0);
}

TEST(DecoderSession, ActivationsAreNamedPerLayer) {
  const DecoderModel& m = model("qwen3-q4_k_m");
  std::map<std::string, int> seen;
  std::vector<float> last_output;
  SessionOptions o;
  o.n_ctx = 32;
  o.on_activation = [&](const Activation& a) {
    seen[std::string(a.name) + "/" + std::to_string(a.layer)]++;
    if (a.name == "result_output") last_output.assign(a.data, a.data + a.width);
  };
  auto s = DecoderSession::create(m, o);
  ASSERT_TRUE(s.ok());
  const std::vector<int32_t> prompt = {1, 2, 3};
  const std::vector<float> logits = eval_copy(*s, prompt);
  for (int64_t l = 0; l < m.params().n_layer; ++l) {
    for (const char* n : {"attn_norm", "Qcur", "Kcur", "kqv_out", "ffn_out", "l_out"}) {
      EXPECT_EQ(seen[std::string(n) + "/" + std::to_string(l)], 1) << n << " layer " << l;
    }
  }
  EXPECT_EQ(last_output, logits);
}

TEST(DecoderModel, ReadsHyperParametersFromMetadata) {
  const DecoderParams& q3 = model("qwen3-q4_k_m").params();
  EXPECT_EQ(q3.arch->name, "qwen3");
  EXPECT_EQ(q3.n_embd, 256);
  EXPECT_EQ(q3.n_head, 4);
  EXPECT_EQ(q3.n_head_kv, 2);
  EXPECT_EQ(q3.head_dim, 128);  // key_length, not 256 / 4
  EXPECT_EQ(q3.n_layer, 2);
  EXPECT_EQ(q3.n_ff, 768);
  EXPECT_TRUE(model("qwen3-q4_k_m").weights().tied_output);

  const DecoderModel& spm = model("llama-spm-q8_0");
  EXPECT_EQ(spm.params().head_dim, 64);
  EXPECT_EQ(spm.params().n_vocab, 32000);
  EXPECT_FALSE(spm.weights().tied_output);

  const DecoderModel& l3 = model("llama3-bpe-q4_k_m");
  EXPECT_EQ(l3.weights().rope_freqs.size(), static_cast<size_t>(l3.params().n_rot / 2));
  EXPECT_FLOAT_EQ(l3.params().rope_freq_base, 500000.0f);
  EXPECT_EQ(model("qwen2-bpe-q4_k_m").weights().layers[0].bq.size(), 256u);
}

TEST(DecoderModel, EncoderArchitectureIsRejectedByName) {
  auto m = DecoderModel::open(kFixtures + "models/bert-mean-f16.gguf");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("'bert'"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("bert-mean-f16.gguf"), std::string::npos);
}

}  // namespace
}  // namespace trove
