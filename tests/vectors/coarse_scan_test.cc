// Tests for index/coarse_scan (exact top-k through Q8_0 codes with error bounds) and
// for VectorStore's use of it: the results must equal the float scan's, ids and
// scores, on random, clustered and duplicated vectors, with and without a filter, and
// the codes must follow the vectors when they change.
#include "index/coarse_scan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <thread>

#include "index/flat_scan.h"
#include "index/vector_store.h"

namespace trove::index {
namespace {

void normalize(float* v, int dim) {
  double n = 0;
  for (int j = 0; j < dim; ++j) n += static_cast<double>(v[j]) * v[j];
  for (int j = 0; j < dim; ++j) v[j] = static_cast<float>(v[j] / std::sqrt(n));
}

// n unit vectors around `centers` random directions, spread by `noise` per element
// (centers = 0: independent random directions). Real embeddings are clustered: many
// rows score close to the best, which is where the bounds have to be right.
std::vector<float> vectors(int n, int dim, int centers, float noise, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd;
  std::vector<float> c(static_cast<size_t>(std::max(centers, 1)) * dim);
  for (float& x : c) x = nd(rng);
  std::vector<float> v(static_cast<size_t>(n) * dim);
  for (int i = 0; i < n; ++i) {
    float* row = &v[static_cast<size_t>(i) * dim];
    const float* ctr = &c[static_cast<size_t>(centers > 0 ? i % centers : 0) * dim];
    for (int j = 0; j < dim; ++j) row[j] = centers > 0 ? ctr[j] + noise * nd(rng) : nd(rng);
    normalize(row, dim);
  }
  return v;
}

std::vector<int64_t> sparse_ids(int n) {
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) ids.push_back(11 + int64_t{7} * i);
  return ids;
}

// Two exact scans may sum a row's 384 products in different orders, so scores agree to
// rounding (~1e-7 each) and rows that tie to within it may trade places; anything
// more is a wrong result. got must match want rank by rank in score, each returned
// score must be the row's true score, and a row want lacks may only be a tie at the
// boundary. With strict_ids the ids must match exactly (no near-ties expected).
void expect_same(const std::vector<VectorHit>& got, const std::vector<VectorHit>& want,
                 const std::vector<float>& v, int dim, const float* query,
                 const std::string& what, bool strict_ids) {
  constexpr double kRounding = 2e-6;
  ASSERT_EQ(got.size(), want.size()) << what;
  std::unordered_set<int64_t> wanted;
  for (const VectorHit& h : want) wanted.insert(h.id);
  for (size_t i = 0; i < got.size(); ++i) {
    const std::string at = what + " rank " + std::to_string(i);
    EXPECT_NEAR(got[i].score, want[i].score, kRounding) << at;
    const size_t row = static_cast<size_t>((got[i].id - 11) / 7);
    double truth = 0;
    for (int j = 0; j < dim; ++j) truth += double{v[row * dim + static_cast<size_t>(j)]} * query[j];
    EXPECT_NEAR(got[i].score, truth, kRounding) << at;
    if (strict_ids) {
      EXPECT_EQ(got[i].id, want[i].id) << at;
    } else if (wanted.count(got[i].id) == 0) {
      EXPECT_GE(got[i].score, want.back().score - kRounding) << at << ": not a boundary tie";
    }
  }
}

struct Case {
  const char* name;
  int centers;
  float noise;
};

// Random directions, tight clusters (near-ties at the top) and a middle ground; a
// query near a cluster centre is the hard case, so half the queries are rows.
TEST(CoarseScan, TopKEqualsTheFloatScanWithAndWithoutFilter) {
  constexpr int kDim = 384, kN = 6000;
  const std::vector<int64_t> ids = sparse_ids(kN);
  for (const Case& c : {Case{"random", 0, 0}, Case{"clusters", 40, 0.05f},
                        Case{"tight clusters", 12, 0.01f}}) {
    const std::vector<float> v = vectors(kN, kDim, c.centers, c.noise, 5);
    const auto codes = CoarseCodes::build(v.data(), kN, kDim);
    ASSERT_TRUE(codes.has_value()) << c.name;
    EXPECT_EQ(codes->rows(), kN);
    std::unordered_set<int64_t> odd;
    for (int i = 1; i < kN; i += 2) odd.insert(ids[static_cast<size_t>(i)]);
    const std::vector<float> fresh = vectors(10, kDim, 0, 0, 9);
    int answered = 0;
    for (int q = 0; q < 20; ++q) {
      const auto row = [](int r) { return static_cast<std::ptrdiff_t>(r) * kDim; };
      std::vector<float> query(fresh.begin() + row(q % 10), fresh.begin() + row(q % 10 + 1));
      if (q >= 10) {  // a stored row, slightly moved
        query.assign(v.begin() + row(q * 97), v.begin() + row(q * 97 + 1));
        query[static_cast<size_t>(q)] += 0.01f;
        normalize(query.data(), kDim);
      }
      for (int k : {1, 10, 60}) {
        for (const auto* allowed : {static_cast<const std::unordered_set<int64_t>*>(nullptr),
                                    static_cast<const std::unordered_set<int64_t>*>(&odd)}) {
          const std::string what = std::string(c.name) + " query " + std::to_string(q) + " k " +
                                   std::to_string(k) + (allowed ? " filtered" : "");
          const auto want = flat_top_k(v.data(), ids.data(), kN, kDim, query.data(), k, allowed);
          const auto got = codes->top_k(v.data(), ids.data(), query.data(), k, allowed);
          if (!got) continue;  // too close to call: the caller scans floats
          ++answered;
          expect_same(*got, want, v, kDim, query.data(), what, c.centers == 0);
        }
      }
    }
    // The bounds must narrow the rows, or the codes would never be used. Tight
    // clusters (500 rows within 1e-4 of each other's score) may leave too many rows.
    std::printf("%s: %d of 120 searches answered through the codes\n", c.name, answered);
    if (c.centers == 0 || c.noise >= 0.05f) {
      EXPECT_GE(answered, 110) << c.name;
    }
  }
}

TEST(CoarseScan, DuplicateRowsTieToTheSmallerId) {
  constexpr int kDim = 64, kN = 3000;
  std::vector<float> v = vectors(kN, kDim, 0, 0, 21);
  for (int i = 1; i < kN; i += 3)  // every third row repeats the one before it
    std::copy_n(&v[static_cast<size_t>(i - 1) * kDim], kDim, &v[static_cast<size_t>(i) * kDim]);
  const std::vector<int64_t> ids = sparse_ids(kN);
  const auto codes = CoarseCodes::build(v.data(), kN, kDim);
  ASSERT_TRUE(codes.has_value());
  for (int q = 0; q < 30; q += 3) {
    const float* query = &v[static_cast<size_t>(q) * kDim];
    const auto got = codes->top_k(v.data(), ids.data(), query, 5, nullptr);
    ASSERT_TRUE(got.has_value());
    expect_same(*got, flat_top_k(v.data(), ids.data(), kN, kDim, query, 5, nullptr), v, kDim,
                query, "query row " + std::to_string(q), false);
    EXPECT_EQ((*got)[0].id, ids[static_cast<size_t>(q)]);
  }
}

TEST(CoarseScan, FewerAllowedRowsThanKReturnsThemAll) {
  constexpr int kDim = 32, kN = 500;
  const std::vector<float> v = vectors(kN, kDim, 0, 0, 3);
  const std::vector<int64_t> ids = sparse_ids(kN);
  const auto codes = CoarseCodes::build(v.data(), kN, kDim);
  ASSERT_TRUE(codes.has_value());
  const std::unordered_set<int64_t> allowed{ids[3], ids[400], ids[77]};
  const auto got = codes->top_k(v.data(), ids.data(), &v[0], 10, &allowed);
  ASSERT_TRUE(got.has_value());
  expect_same(*got, flat_top_k(v.data(), ids.data(), kN, kDim, &v[0], 10, &allowed), v, kDim,
              &v[0], "3 allowed", true);
}

TEST(CoarseScan, RefusesWhatItCannotBound) {
  const std::vector<float> v = vectors(100, 40, 0, 0, 1);
  EXPECT_FALSE(CoarseCodes::build(v.data(), 100, 40).has_value()) << "40 is not a multiple of 32";
  std::vector<float> w = vectors(100, 64, 0, 0, 1);
  const std::vector<int64_t> ids = sparse_ids(100);
  const auto codes = CoarseCodes::build(w.data(), 100, 64);
  ASSERT_TRUE(codes.has_value());
  std::vector<float> q(w.begin(), w.begin() + 64);
  q[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(codes->top_k(w.data(), ids.data(), q.data(), 3, nullptr).has_value());
  q[5] = 1e30f;
  EXPECT_FALSE(codes->top_k(w.data(), ids.data(), q.data(), 3, nullptr).has_value());
  w[70] = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(CoarseCodes::build(w.data(), 100, 64).has_value());
}

// VectorStore: searches through the codes equal the float scan's, and after add or
// remove the codes are dropped, never used for vectors they were not built from.
TEST(CoarseScan, StoreSearchesMatchFloatsBeforeAndAfterChanges) {
  constexpr int kDim = 384, kN = 9000;
  const std::vector<float> v = vectors(kN, kDim, 30, 0.05f, 8);
  const std::vector<int64_t> ids = sparse_ids(kN);
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add(ids, v).ok());
  const std::vector<float> queries = vectors(8, kDim, 0, 0, 12);
  std::vector<std::vector<VectorHit>> before;
  for (int q = 0; q < 8; ++q) {  // the first searches scan floats (and start a build)
    auto hits = store->search(&queries[static_cast<size_t>(q) * kDim], 10, nullptr);
    ASSERT_TRUE(hits.ok());
    before.push_back(*hits);
  }
  ASSERT_TRUE(store->prepare_fast_scan());
  for (int q = 0; q < 8; ++q) {
    auto hits = store->search(&queries[static_cast<size_t>(q) * kDim], 10, nullptr);
    ASSERT_TRUE(hits.ok());
    expect_same(*hits, before[static_cast<size_t>(q)], v, kDim,
                &queries[static_cast<size_t>(q) * kDim], "query " + std::to_string(q), false);
  }
  // A new vector equal to the query must come first; the old codes do not know it.
  const std::vector<float> q0(queries.begin(), queries.begin() + kDim);
  ASSERT_TRUE(store->add({5}, q0).ok());
  auto hits = store->search(q0.data(), 3, nullptr);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((*hits)[0].id, 5);
  EXPECT_NEAR((*hits)[0].score, 1.0, 1e-5);
  ASSERT_TRUE(store->prepare_fast_scan());
  ASSERT_TRUE(store->remove({5, ids[0]}).ok());
  ASSERT_TRUE(store->prepare_fast_scan());
  hits = store->search(q0.data(), 10, nullptr);
  ASSERT_TRUE(hits.ok());
  for (const VectorHit& h : *hits) {
    EXPECT_NE(h.id, 5);
    EXPECT_NE(h.id, ids[0]);
  }
}

// Searches from several threads while the background build runs and after it: all
// equal the float scan (the build reads the vectors the searches read).
TEST(CoarseScan, ConcurrentSearchesDuringTheBuildStayExact) {
  constexpr int kDim = 384, kN = 12000;
  const std::vector<float> v = vectors(kN, kDim, 0, 0, 31);
  const std::vector<int64_t> ids = sparse_ids(kN);
  auto store = VectorStore::create(kDim);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add(ids, v).ok());
  const std::vector<float> queries = vectors(16, kDim, 0, 0, 32);
  std::vector<std::vector<VectorHit>> want;
  want.reserve(16);
  for (int q = 0; q < 16; ++q) {
    want.push_back(flat_top_k(v.data(), ids.data(), kN, kDim,
                              &queries[static_cast<size_t>(q) * kDim], 10, nullptr));
  }
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 6; ++round) {
        for (int q = t; q < 16; q += 4) {
          auto hits = store->search(&queries[static_cast<size_t>(q) * kDim], 10, nullptr);
          if (!hits.ok() || hits->size() != want[static_cast<size_t>(q)].size()) {
            ++mismatches[static_cast<size_t>(t)];
            continue;
          }
          for (size_t i = 0; i < hits->size(); ++i)
            mismatches[static_cast<size_t>(t)] += (*hits)[i].id != want[static_cast<size_t>(q)][i].id;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[static_cast<size_t>(t)], 0) << "thread " << t;
  EXPECT_TRUE(store->prepare_fast_scan());
}

}  // namespace
}  // namespace trove::index
