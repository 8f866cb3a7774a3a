// index/vector_store.h — the dense-vector index: FAISS IndexIDMap2 keyed by chunk id.
//
// The SQLite database is the source of truth (it stores every chunk's embedding);
// this file is a derived cache that makes similarity search fast. Each saved file
// carries the database's vector generation in its header, so a file left behind by
// a killed run is detected on open (generation mismatch) and rebuilt from the
// database instead of being trusted.
//
// On-disk format (vectors.faiss): "TROVEVEC" | u32 format (1) | u32 dim |
// u64 generation | FAISS index as written by faiss::write_index.
//
// Thread safety: search() is const and may run concurrently; add/remove/save need
// the caller's exclusive access (as FAISS's own rule).
//
// Exact search over the default Flat index reads Q8_0 codes of the vectors with exact
// error bounds (index/coarse_scan.h) once they exist: a store that serves a second
// search builds them on a background thread (about 27% more memory; 0.1 s per 100k
// vectors of 384 on one core), and until then, or where they do not narrow the rows
// enough, scans the floats (index/flat_scan.h). A one-shot search (the CLI) never pays
// for them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace faiss {
struct Index;
struct IndexFlat;
}

namespace trove::index {

struct VectorHit {
  int64_t id = 0;
  float score = 0;  // inner product; cosine for the L2-normalised vectors we store
};

class VectorStore {
 public:
  // An empty store. factory: a FAISS factory string for the inner index ("Flat" is
  // exact inner product; "HNSW32" or "IVF1024,PQ32" for large libraries). The
  // IDMap2 wrapper is always added so ids are chunk ids.
  static Result<VectorStore> create(int dim, const std::string& factory = "Flat");
  // Loads a saved store; the caller compares generation() with the database's.
  static Result<VectorStore> load(const std::string& path);

  VectorStore(VectorStore&&) noexcept;
  VectorStore& operator=(VectorStore&&) noexcept;
  ~VectorStore();

  int dim() const { return dim_; }
  uint64_t generation() const { return generation_; }
  int64_t size() const;

  // vectors holds ids.size() * dim() floats. An id already present is replaced.
  Status add(const std::vector<int64_t>& ids, const std::vector<float>& vectors);
  Status remove(const std::vector<int64_t>& ids);

  // Top-k by inner product. When `allowed` is non-null, only those ids qualify
  // (filters by path or type are resolved to chunk ids by the caller).
  Result<std::vector<VectorHit>> search(const float* query, int k,
                                        const std::unordered_set<int64_t>* allowed) const;

  // Writes to path + ".tmp", fsyncs, renames over path, fsyncs the folder.
  Status save(const std::string& path, uint64_t generation);

  // Builds the Q8_0 codes now (waiting for a background build if one runs) instead of
  // at the second search; true when searches use them (a Flat index of a width that
  // is a multiple of 32, finite vectors). For long-lived servers and benchmarks.
  bool prepare_fast_scan() const;

 private:
  struct FastScan;
  // The inner index when it is exact inner-product Flat with every id mapped, else null.
  const faiss::IndexFlat* exact_flat() const;
  VectorStore(std::unique_ptr<faiss::Index> index, int dim, uint64_t generation);
  std::vector<VectorHit> filtered_scan(const float* query, int k,
                                       const std::unordered_set<int64_t>& allowed) const;

  std::unique_ptr<faiss::Index> index_;
  std::unique_ptr<FastScan> fast_;
  int dim_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace trove::index
