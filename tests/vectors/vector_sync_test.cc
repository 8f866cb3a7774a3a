// Embeddings in the library: the sync pass, generation repair, model identity,
// deletes reaching FAISS, and dense/hybrid retrieval with filters.
// Uses the fixture encoder (random weights: rankings mean nothing semantically, so
// the tests assert structure — ids, counts, exact self-retrieval — not relevance).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "index/hybrid_retriever.h"
#include "index/indexer.h"
#include "index/library.h"
#include "index/vector_sync.h"

namespace fs = std::filesystem;

namespace trove::index {
namespace {

const std::string kModel =
    std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/bert-mean-f16.gguf";
const std::string kOtherModel =
    std::string(TROVE_SOURCE_DIR) + "/../shared/fixtures/models/nomic-bert-f16.gguf";

class VectorSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("trove-vsync-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "notes");
    write("notes/vpn.md",
          "# VPN\n\nWireGuard listens on port 51820 on the router.\n\n## Keys\n\nRotate keys "
          "yearly.\n");
    write("notes/bread.md",
          "# Sourdough\n\nFeed the starter twice a day and bake at 250 degrees.\n");
    write("notes/lease.txt",
          "The deposit is returned within thirty days after the keys are handed back.\n");
    auto paths = resolve_library_paths((root_ / "home").string());
    ASSERT_TRUE(paths.ok());
    paths_ = *paths;
    auto db = open_library(paths_);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::make_unique<Db>(std::move(*db));
    auto emb = Embedder::open(kModel, EmbedderParams{1, 4096});
    ASSERT_TRUE(emb.ok()) << emb.error().message;
    embedder_ = std::shared_ptr<Embedder>(std::move(*emb));
    model_ = identity_of(*embedder_, "bert-mean-f16", kModel, "sha-of-bert-mean");
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(root_);
  }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  void index_notes() {
    IndexOptions opts;
    opts.paths = {(root_ / "notes").string()};
    auto s = index_sources(*db_, opts);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  int64_t count(const char* sql) { return *query_int(*db_, sql); }
  Result<VectorSyncStats> sync(bool reembed = false, const EmbeddingModelId* m = nullptr,
                               Embedder* e = nullptr) {
    VectorSyncOptions opts;
    opts.reembed = reembed;
    return sync_vectors(*db_, paths_.vectors, e ? *e : *embedder_, m ? *m : model_, opts);
  }

  fs::path root_;
  LibraryPaths paths_;
  std::unique_ptr<Db> db_;
  std::shared_ptr<Embedder> embedder_;
  EmbeddingModelId model_;
};

TEST_F(VectorSyncTest, EveryChunkGetsOneVectorAndASecondSyncDoesNothing) {
  index_notes();
  int64_t chunks = count("SELECT count(*) FROM chunks");
  ASSERT_GT(chunks, 0);
  auto s = sync();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->embedded, chunks);
  EXPECT_EQ(count("SELECT count(*) FROM chunk_vectors"), chunks);
  auto again = sync();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->embedded, 0);
  bool repaired = true;
  auto store = load_vectors(*db_, paths_.vectors, model_.dim, &repaired);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE(repaired);
  EXPECT_EQ(store->size(), chunks);
}

TEST_F(VectorSyncTest, StoredVectorsAreTheEmbeddingsOfTheChunkText) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  // Self-retrieval: embedding a chunk's own embedding text as a document must find it
  // first with cosine ~1.
  auto st = db_->prepare(
      "SELECT c.id, coalesce(d.title,''), coalesce(c.heading,''), c.text FROM chunks c JOIN "
      "documents d ON d.id = c.document_id");
  ASSERT_TRUE(st.ok());
  bool repaired = false;
  auto store = load_vectors(*db_, paths_.vectors, model_.dim, &repaired);
  ASSERT_TRUE(store.ok());
  while (*st->step()) {
    auto v = embedder_->embed_documents(
        {embedding_text(st->column_text(1), st->column_text(2), st->column_text(3))});
    auto hits = store->search(v[0].data(), 1, nullptr);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ((*hits)[0].id, st->column_int(0));
    EXPECT_NEAR((*hits)[0].score, 1.0f, 1e-4);
  }
}

TEST_F(VectorSyncTest, DeletedChunksLeaveFaissAndNewOnesArrive) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  fs::remove(root_ / "notes/bread.md");
  write("notes/new.md", "# New\n\nA brand new note about bicycles.\n");
  index_notes();
  auto s = sync();
  ASSERT_TRUE(s.ok());
  EXPECT_GT(s->removed, 0);
  EXPECT_GT(s->embedded, 0);
  EXPECT_EQ(count("SELECT count(*) FROM pending_vector_deletes"), 0);
  bool repaired = false;
  auto store = load_vectors(*db_, paths_.vectors, model_.dim, &repaired);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->size(), count("SELECT count(*) FROM chunks"));
  EXPECT_EQ(count("SELECT count(*) FROM chunk_vectors"), count("SELECT count(*) FROM chunks"));
}

TEST_F(VectorSyncTest, AStaleOrMissingFaissFileIsRebuiltFromTheDatabase) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  // Simulate a run killed after committing vectors but before saving FAISS: the file
  // is at an older generation than the database.
  auto old = VectorStore::load(paths_.vectors);
  ASSERT_TRUE(old.ok());
  write("notes/more.md", "# More\n\nAnother note.\n");
  index_notes();
  auto vecs_before = count("SELECT count(*) FROM chunk_vectors");
  ASSERT_TRUE(sync().ok());
  ASSERT_GT(count("SELECT count(*) FROM chunk_vectors"), vecs_before);
  ASSERT_TRUE(old->save(paths_.vectors, old->generation()).ok());  // put the stale file back
  bool repaired = false;
  auto store = load_vectors(*db_, paths_.vectors, model_.dim, &repaired);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(repaired);
  EXPECT_EQ(store->size(), count("SELECT count(*) FROM chunks"));
  fs::remove(paths_.vectors);
  store = load_vectors(*db_, paths_.vectors, model_.dim, &repaired);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(repaired);
  EXPECT_EQ(store->size(), count("SELECT count(*) FROM chunks"));
  // The next sync (a writer) saves the repaired file.
  ASSERT_TRUE(sync().ok());
  auto saved = VectorStore::load(paths_.vectors);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->generation(), static_cast<uint64_t>(vector_generation(*db_)));
}

TEST_F(VectorSyncTest, ADifferentModelIsRefusedUnlessReembedding) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  auto other = Embedder::open(kOtherModel, EmbedderParams{1, 4096});
  ASSERT_TRUE(other.ok());
  auto other_id = identity_of(**other, "nomic-bert-f16", kOtherModel, "sha-of-nomic");
  auto refused = sync(false, &other_id, other->get());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--reembed"), std::string::npos);
  EXPECT_NE(refused.error().message.find("bert-mean-f16"), std::string::npos);
  auto re = sync(true, &other_id, other->get());
  ASSERT_TRUE(re.ok()) << re.error().message;
  EXPECT_TRUE(re->reembedded);
  EXPECT_EQ(re->embedded, count("SELECT count(*) FROM chunks"));
  auto stored = stored_embedding_model(*db_);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->sha256, "sha-of-nomic");
}

TEST_F(VectorSyncTest, DenseAndHybridHonourFiltersAndReturnEachChunkOnce) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  auto dense = DenseRetriever::open(paths_.db, paths_.vectors, embedder_);
  ASSERT_TRUE(dense.ok()) << dense.error().message;
  // Plumbing, not relevance (the fixture's weights are random): no floor.
  (*dense)->set_min_similarity(0.0);
  auto all = (*dense)->search("deposit keys", 50, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(static_cast<int64_t>(all->size()), count("SELECT count(*) FROM chunks"));
  SearchFilters text_only;
  text_only.type = "text";
  auto only_text = (*dense)->search("deposit keys", 50, text_only);
  ASSERT_TRUE(only_text.ok());
  ASSERT_FALSE(only_text->empty());
  for (auto& h : *only_text) EXPECT_EQ(h.type, "text");
  auto lex = LexicalRetriever::open(paths_.db);
  ASSERT_TRUE(lex.ok());
  auto dense2 = DenseRetriever::open(paths_.db, paths_.vectors, embedder_);
  ASSERT_TRUE(dense2.ok());
  (*dense2)->set_min_similarity(0.0);
  HybridRetriever hybrid(std::move(*lex), std::move(*dense2));
  SearchFilters vpn_only;
  vpn_only.path_glob = "*vpn*";
  auto hits = hybrid.search("keys", 10, vpn_only);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  std::set<int64_t> seen;
  for (auto& h : *hits) {
    EXPECT_NE(h.path.find("vpn"), std::string::npos);
    EXPECT_TRUE(seen.insert(h.chunk_id).second);
  }
}

// Issue 11, defect 1: the default floor (relevance_floor.h) keeps a passage that the
// query matches exactly, whatever the model, and reports what it measured.
TEST_F(VectorSyncTest, TheRelevanceFloorKeepsAnExactMatch) {
  index_notes();
  ASSERT_TRUE(sync().ok());
  auto st = db_->prepare(
      "SELECT c.id, d.title, c.heading, c.text FROM chunks c JOIN documents d"
      " ON d.id = c.document_id ORDER BY c.id LIMIT 1");
  ASSERT_TRUE(st.ok());
  auto row = st->step();
  ASSERT_TRUE(row.ok() && *row);
  const int64_t id = st->column_int(0);
  const std::string text =
      embedding_text(st->column_text(1), st->column_text(2), st->column_text(3));
  auto dense = DenseRetriever::open(paths_.db, paths_.vectors, embedder_);
  ASSERT_TRUE(dense.ok());
  auto hits = (*dense)->search(text, 5, {});
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().chunk_id, id);
  RelevanceFloor f = (*dense)->last_floor();
  EXPECT_GT(f.sample, 0);
  EXPECT_GE(hits->back().score, f.floor);
  // Every kept hit is above the floor; with it off, every chunk comes back.
  (*dense)->set_min_similarity(0.0);
  auto all = (*dense)->search(text, 50, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(static_cast<int64_t>(all->size()), count("SELECT count(*) FROM chunks"));
}

TEST(Rrf, FusesByReciprocalRankWithOneResultPerChunk) {
  auto hit = [](int64_t id) {
    SearchHit h;
    h.chunk_id = id;
    return h;
  };
  // Chunk 2 is second in both lists: 2/(60+2) beats 1/(60+1) for chunks 1 and 3.
  auto fused = rrf_fuse({{hit(1), hit(2)}, {hit(3), hit(2)}}, 10);
  ASSERT_EQ(fused.size(), 3u);
  EXPECT_EQ(fused[0].chunk_id, 2);
  EXPECT_DOUBLE_EQ(fused[0].score, 2.0 / 62.0);
  EXPECT_DOUBLE_EQ(fused[1].score, 1.0 / 61.0);
  EXPECT_EQ(rrf_fuse({{hit(1), hit(2)}, {hit(3), hit(2)}}, 1).size(), 1u);
}

}  // namespace
}  // namespace trove::index
