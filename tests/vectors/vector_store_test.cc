// Tests for index/vector_store: exact search against a brute-force reference,
// replacement and removal by id, filtered search, and the persisted generation.
#include "index/vector_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace trove::index {
namespace {

std::vector<float> random_unit_vectors(int n, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd;
  std::vector<float> v(static_cast<size_t>(n) * dim);
  for (int i = 0; i < n; ++i) {
    float norm = 0;
    for (int j = 0; j < dim; ++j) norm += (v[i * dim + j] = nd(rng)) * v[i * dim + j];
    for (int j = 0; j < dim; ++j) v[i * dim + j] /= std::sqrt(norm);
  }
  return v;
}

// Brute-force top-k ids by inner product among `ids` (rows of `vecs`).
std::vector<int64_t> brute_top(const std::vector<float>& vecs, const std::vector<int64_t>& ids,
                               int dim, const float* q, int k) {
  std::vector<std::pair<float, int64_t>> s;
  for (size_t i = 0; i < ids.size(); ++i) {
    float d = 0;
    for (int j = 0; j < dim; ++j) d += vecs[i * dim + j] * q[j];
    s.push_back({d, ids[i]});
  }
  std::sort(s.begin(), s.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<int64_t> out;
  for (int i = 0; i < k && i < static_cast<int>(s.size()); ++i) out.push_back(s[i].second);
  return out;
}

std::vector<int64_t> ids_of(const std::vector<VectorHit>& hits) {
  std::vector<int64_t> out;
  out.reserve(hits.size());
  for (auto& h : hits) out.push_back(h.id);
  return out;
}

class VectorStoreTest : public ::testing::Test {
 protected:
  static constexpr int kDim = 16;
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("trove-vs-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    vecs_ = random_unit_vectors(200, kDim, 7);
    for (int i = 0; i < 200; ++i) ids_.push_back(1000 + i * 3);  // sparse, non-contiguous ids
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::vector<float> vecs_;
  std::vector<int64_t> ids_;
};

TEST_F(VectorStoreTest, ExactSearchMatchesBruteForce) {
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  EXPECT_EQ(store->size(), 200);
  auto queries = random_unit_vectors(10, kDim, 99);
  for (int q = 0; q < 10; ++q) {
    auto hits = store->search(&queries[static_cast<size_t>(q) * kDim], 5, nullptr);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(ids_of(*hits),
              brute_top(vecs_, ids_, kDim, &queries[static_cast<size_t>(q) * kDim], 5));
  }
}

TEST_F(VectorStoreTest, AddingAnExistingIdReplacesItsVector) {
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  // Re-add id ids_[0] with the vector of the query itself: it must become the top hit,
  // and the store must not grow.
  auto q = random_unit_vectors(1, kDim, 5);
  ASSERT_TRUE(store->add({ids_[0]}, q).ok());
  EXPECT_EQ(store->size(), 200);
  auto hits = store->search(q.data(), 1, nullptr);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].id, ids_[0]);
  EXPECT_NEAR((*hits)[0].score, 1.0f, 1e-5);
}

TEST_F(VectorStoreTest, RemovedIdsNeverComeBack) {
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  std::vector<int64_t> gone(ids_.begin(), ids_.begin() + 100);
  ASSERT_TRUE(store->remove(gone).ok());
  EXPECT_EQ(store->size(), 100);
  // Each removed vector queried exactly must not find its own id.
  for (int i = 0; i < 100; i += 7) {
    auto hits = store->search(&vecs_[static_cast<size_t>(i) * kDim], 10, nullptr);
    ASSERT_TRUE(hits.ok());
    for (auto& h : *hits) EXPECT_NE(h.id, ids_[i]);
  }
}

TEST_F(VectorStoreTest, FilteredSearchReturnsOnlyAllowedIdsInExactOrder) {
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  std::unordered_set<int64_t> allowed;
  std::vector<int64_t> allowed_ids;
  std::vector<float> allowed_vecs;
  for (int i = 0; i < 200; i += 9) {
    allowed.insert(ids_[i]);
    allowed_ids.push_back(ids_[i]);
    allowed_vecs.insert(allowed_vecs.end(), &vecs_[static_cast<size_t>(i) * kDim],
                        &vecs_[static_cast<size_t>(i + 1) * kDim]);
  }
  auto q = random_unit_vectors(1, kDim, 11);
  auto hits = store->search(q.data(), 5, &allowed);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(ids_of(*hits), brute_top(allowed_vecs, allowed_ids, kDim, q.data(), 5));
}

// The exact index at a realistic width, unfiltered and with a filter too wide to scan
// by id (over 4096 allowed): every result equals brute force, ids and scores.
TEST_F(VectorStoreTest, WideExactSearchesMatchBruteForceWithAndWithoutFilter) {
  constexpr int kWide = 384, kN = 9000, kK = 10;
  const std::vector<float> vecs = random_unit_vectors(kN, kWide, 3);
  std::vector<int64_t> ids;
  ids.reserve(kN);
  for (int i = 0; i < kN; ++i) ids.push_back(7 + int64_t{5} * i);
  auto store = VectorStore::create(kWide);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->add(ids, vecs).ok());
  std::unordered_set<int64_t> allowed;
  std::vector<int64_t> allowed_ids;
  std::vector<float> allowed_vecs;
  for (int i = 0; i < kN; i += 2) {
    allowed.insert(ids[i]);
    allowed_ids.push_back(ids[i]);
    allowed_vecs.insert(allowed_vecs.end(), &vecs[static_cast<size_t>(i) * kWide],
                        &vecs[static_cast<size_t>(i + 1) * kWide]);
  }
  const std::vector<float> queries = random_unit_vectors(20, kWide, 4);
  for (int q = 0; q < 20; ++q) {
    const float* qv = &queries[static_cast<size_t>(q) * kWide];
    auto all = store->search(qv, kK, nullptr);
    ASSERT_TRUE(all.ok()) << all.error().message;
    EXPECT_EQ(ids_of(*all), brute_top(vecs, ids, kWide, qv, kK)) << "query " << q;
    auto some = store->search(qv, kK, &allowed);
    ASSERT_TRUE(some.ok()) << some.error().message;
    EXPECT_EQ(ids_of(*some), brute_top(allowed_vecs, allowed_ids, kWide, qv, kK)) << "query " << q;
    for (const VectorHit& h : *all) {
      const size_t row = static_cast<size_t>((h.id - 7) / 5);
      double d = 0;
      for (int j = 0; j < kWide; ++j) d += double{vecs[row * kWide + j]} * qv[j];
      EXPECT_NEAR(h.score, d, 1e-5) << "query " << q << " id " << h.id;
    }
  }
}

TEST_F(VectorStoreTest, SaveAndLoadKeepVectorsAndGeneration) {
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  std::string path = (dir_ / "vectors.faiss").string();
  ASSERT_TRUE(store->save(path, 42).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto loaded = VectorStore::load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->generation(), 42u);
  EXPECT_EQ(loaded->dim(), kDim);
  auto q = random_unit_vectors(1, kDim, 3);
  auto a = store->search(q.data(), 8, nullptr);
  auto b = loaded->search(q.data(), 8, nullptr);
  EXPECT_EQ(ids_of(*a), ids_of(*b));
}

TEST_F(VectorStoreTest, CorruptOrForeignFilesAreErrorsNamingTheFile) {
  std::string path = (dir_ / "bad.faiss").string();
  { std::ofstream(path) << "not a vector file at all"; }
  auto r = VectorStore::load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(path), std::string::npos);

  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  std::string good = (dir_ / "good.faiss").string();
  ASSERT_TRUE(store->save(good, 1).ok());
  auto size = std::filesystem::file_size(good);
  std::filesystem::resize_file(good, size / 2);
  auto t = VectorStore::load(good);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find(good), std::string::npos);
}

TEST_F(VectorStoreTest, MismatchedBatchIsRejected) {
  auto store = VectorStore::create(kDim);
  EXPECT_FALSE(store->add({1, 2}, std::vector<float>(kDim)).ok());
  EXPECT_FALSE(VectorStore::create(0).ok());
  EXPECT_FALSE(VectorStore::create(kDim, "NoSuchIndexType").ok());
}

TEST_F(VectorStoreTest, HnswFactoryWorksThroughTheSameInterface) {
  auto store = VectorStore::create(kDim, "HNSW16");
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(store->add(ids_, vecs_).ok());
  // HNSW is approximate; on 200 vectors with default efSearch the nearest neighbour of
  // a stored vector is itself.
  auto hits = store->search(&vecs_[size_t{17} * kDim], 1, nullptr);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ((*hits)[0].id, ids_[17]);
}

}  // namespace
}  // namespace trove::index
