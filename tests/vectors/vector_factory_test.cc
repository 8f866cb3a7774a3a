// tests/vectors/vector_factory_test.cc — which --vector-index strings are refused
// before anything is written (issue 11, defect 2), and which FAISS can then build.
#include <gtest/gtest.h>

#include <random>

#include "index/vector_factory.h"
#include "index/vector_store.h"

namespace trove::index {
namespace {

TEST(VectorFactory, RefusesGarbageAbsurdParametersAndUntrainableIndexes) {
  EXPECT_FALSE(check_vector_factory("garbage!!", 384, 1000).ok());
  EXPECT_FALSE(check_vector_factory("", 384, 1000).ok());
  EXPECT_FALSE(check_vector_factory("HNSW99999999", 384, 1000).ok());
  EXPECT_FALSE(check_vector_factory("HNSW0", 384, 1000).ok());
  EXPECT_FALSE(check_vector_factory("IVF4096,Flat", 384, 1000).ok());  // more lists than vectors
  EXPECT_FALSE(check_vector_factory("IVF16", 384, 1000).ok());         // no storage part
  EXPECT_FALSE(check_vector_factory("PQ7", 384, 1000).ok());           // 7 does not divide 384
  EXPECT_FALSE(check_vector_factory("IVF16,PQ7", 384, 1000).ok());
  EXPECT_FALSE(check_vector_factory("PQ8", 384, 100).ok());            // 2^8 centroids, 100 vectors
  EXPECT_FALSE(check_vector_factory("PQ8x20", 384, 1 << 21).ok());
  EXPECT_FALSE(check_vector_factory("Flat,Flat,Flat", 384, 10).ok());
  auto msg = check_vector_factory("PQ7", 384, 1000);
  ASSERT_FALSE(msg.ok());
  EXPECT_NE(msg.error().message.find("divides"), std::string::npos) << msg.error().message;
}

TEST(VectorFactory, AcceptsTheUsualIndexes) {
  for (const char* f : {"Flat", "HNSW32", "HNSW16,Flat", "HNSW32,SQ8", "IVF16,Flat", "IVF16,SQ8",
                        "IVF16,PQ48", "PQ48", "PQ48x4", "SQ8"}) {
    EXPECT_TRUE(check_vector_factory(f, 384, 1000).ok()) << f;
  }
  // Unknown vector count: only the string and the dimension are checked.
  EXPECT_TRUE(check_vector_factory("IVF4096,PQ32", 384, -1).ok());
  EXPECT_TRUE(factory_needs_training("IVF16,Flat", 384));
  EXPECT_FALSE(factory_needs_training("HNSW32", 384));
  EXPECT_FALSE(factory_supports_removal("HNSW32", 384));
  EXPECT_TRUE(factory_supports_removal("Flat", 384));
}

// Everything the check accepts, FAISS builds and trains on as many vectors as the
// check was told about.
TEST(VectorFactory, AcceptedStringsBuildInFaiss) {
  const int dim = 32, n = 300;
  std::mt19937 rng(7);
  std::normal_distribution<float> g;
  std::vector<float> v(static_cast<size_t>(dim) * n);
  for (float& x : v) x = g(rng);
  std::vector<int64_t> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = i + 1;
  for (const char* f : {"Flat", "HNSW16", "IVF8,Flat", "IVF8,PQ4", "PQ8", "SQ8", "HNSW16,SQ8"}) {
    ASSERT_TRUE(check_vector_factory(f, dim, n).ok()) << f;
    auto store = VectorStore::create(dim, f);
    ASSERT_TRUE(store.ok()) << f << ": " << store.error().message;
    auto st = store->add(ids, v);
    EXPECT_TRUE(st.ok()) << f << ": " << st.error().message;
    EXPECT_EQ(store->size(), n) << f;
  }
}

}  // namespace
}  // namespace trove::index
