// index/vector_store.cc — FAISS behind trove's error policy: every FAISS call is
// wrapped so that its exceptions become Status values at this boundary.
#include "index/vector_store.h"

#include "core/atomic_file.h"
#include "core/c_file.h"
#include "index/coarse_scan.h"
#include "index/flat_scan.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

namespace trove::index {
namespace {

constexpr char kMagic[8] = {'T', 'R', 'O', 'V', 'E', 'V', 'E', 'C'};
constexpr uint32_t kFormat = 1;
// Below this many allowed ids a filtered search scans them directly: cheaper and
// exact, where over-fetching from the whole index could miss them all.
constexpr size_t kDirectScanLimit = 4096;

using IdMap = faiss::IndexIDMap2;

using FilePtr = UniqueFile;

IdMap* as_idmap(faiss::Index* index) {
  return dynamic_cast<IdMap*>(index);
}

// Stores smaller than this (floats) are scanned as floats only: the scan is quick and
// the codes would cost a thread and memory for little.
constexpr size_t kFastScanMinBytes = size_t{4} << 20;

}  // namespace

// The Q8_0 codes of a Flat store and the thread that builds them (vector_store.h).
// Heap-allocated so a moved VectorStore keeps the address the builder thread uses.
struct VectorStore::FastScan {
  std::mutex mu;
  std::shared_ptr<const CoarseCodes> codes;  // of the current vectors, or null
  bool unusable = false;                     // a build met vectors it cannot code
  std::thread builder;                       // joined by reset() and the destructor
  std::atomic<bool> stop{false};
  std::atomic<int64_t> searches{0};

  FastScan() = default;
  FastScan(const FastScan&) = delete;
  FastScan& operator=(const FastScan&) = delete;
  ~FastScan() { reset(); }

  std::shared_ptr<const CoarseCodes> ready() {
    std::lock_guard lk(mu);
    return codes;
  }

  void publish(std::optional<CoarseCodes> built) {
    std::lock_guard lk(mu);
    if (built) {
      codes = std::make_shared<const CoarseCodes>(std::move(*built));
    } else if (!stop.load()) {
      unusable = true;
    }
  }

  // Each float scan counts; the second one starts the build in the background.
  void note_search(const float* xb, int64_t n, int dim) {
    if (searches.fetch_add(1) == 0) return;
    const size_t bytes = static_cast<size_t>(n) * static_cast<size_t>(dim) * sizeof(float);
    if (bytes < kFastScanMinBytes || !CoarseCodes::supports(dim)) return;
    std::lock_guard lk(mu);
    if (codes || unusable || builder.joinable()) return;
    try {
      builder = std::thread([this, xb, n, dim] { publish(CoarseCodes::build(xb, n, dim, &stop)); });
    } catch (const std::system_error&) {  // no thread: keep scanning floats
    }
  }

  bool build_now(const float* xb, int64_t n, int dim) {
    join_builder();
    if (ready() == nullptr && !unusable) publish(CoarseCodes::build(xb, n, dim));
    std::lock_guard lk(mu);
    return codes != nullptr;
  }

  void join_builder() {
    std::thread t;
    {
      std::lock_guard lk(mu);
      t = std::move(builder);
    }
    if (t.joinable()) t.join();
  }

  // The vectors are about to change: stop a build, drop the codes.
  void reset() {
    stop = true;
    join_builder();
    std::lock_guard lk(mu);
    codes.reset();
    unusable = false;
    stop = false;
  }
};

VectorStore::VectorStore(std::unique_ptr<faiss::Index> index, int dim, uint64_t generation)
    : index_(std::move(index)),
      fast_(std::make_unique<FastScan>()),
      dim_(dim),
      generation_(generation) {}
VectorStore::VectorStore(VectorStore&&) noexcept = default;
// A background build reads the vectors of index_: it is stopped before they go.
VectorStore& VectorStore::operator=(VectorStore&& o) noexcept {
  if (this == &o) return *this;
  if (fast_) fast_->reset();
  index_ = std::move(o.index_);
  fast_ = std::move(o.fast_);
  dim_ = o.dim_;
  generation_ = o.generation_;
  return *this;
}
VectorStore::~VectorStore() {
  if (fast_) fast_->reset();
}

Result<VectorStore> VectorStore::create(int dim, const std::string& factory) {
  if (dim <= 0 || dim > 65536)
    return make_error("vector dimension " + std::to_string(dim) + " is out of range");
  try {
    std::string spec = "IDMap2," + factory;
    std::unique_ptr<faiss::Index> index(
        faiss::index_factory(dim, spec.c_str(), faiss::METRIC_INNER_PRODUCT));
    if (!as_idmap(index.get()))
      return make_error("FAISS factory '" + spec + "' did not give an IDMap2 index");
    return VectorStore(std::move(index), dim, 0);
  } catch (const faiss::FaissException& e) {
    return make_error("FAISS index '" + factory + "': " + e.what());
  } catch (const std::exception& e) {  // std::bad_alloc on absurd parameters
    return make_error("FAISS index '" + factory + "': " + e.what());
  }
}

Result<VectorStore> VectorStore::load(const std::string& path) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) return make_error(path + ": " + std::strerror(errno));
  char magic[8];
  uint32_t format = 0, dim = 0;
  uint64_t generation = 0;
  if (std::fread(magic, 1, 8, f.get()) != 8 || std::memcmp(magic, kMagic, 8) != 0)
    return make_error(path + ": not a trove vector file (bad magic)");
  if (std::fread(&format, 4, 1, f.get()) != 1 || std::fread(&dim, 4, 1, f.get()) != 1 ||
      std::fread(&generation, 8, 1, f.get()) != 1)
    return make_error(path + ": truncated header");
  if (format != kFormat) {
    return make_error(path + ": vector file format " + std::to_string(format) + ", expected " +
                      std::to_string(kFormat));
  }
  try {
    std::unique_ptr<faiss::Index> index(faiss::read_index(f.get()));
    if (!as_idmap(index.get())) return make_error(path + ": FAISS index is not an IDMap2");
    if (index->d != static_cast<int>(dim)) {
      return make_error(path + ": header says dimension " + std::to_string(dim) + ", index has " +
                        std::to_string(index->d));
    }
    return VectorStore(std::move(index), static_cast<int>(dim), generation);
  } catch (const faiss::FaissException& e) {
    return make_error(path + ": corrupt FAISS index: " + e.what());
  }
}

int64_t VectorStore::size() const {
  return index_ ? index_->ntotal : 0;
}

Status VectorStore::add(const std::vector<int64_t>& ids, const std::vector<float>& vectors) {
  if (vectors.size() != ids.size() * static_cast<size_t>(dim_)) {
    return make_error("vector batch has " + std::to_string(vectors.size()) + " floats, expected " +
                      std::to_string(ids.size() * dim_));
  }
  if (ids.empty()) return {};
  fast_->reset();
  IdMap* map = as_idmap(index_.get());
  std::vector<int64_t> present;
  for (int64_t id : ids)
    if (map->rev_map.count(id)) present.push_back(id);
  TROVE_TRY(remove(present));
  try {
    if (!map->index->is_trained)
      map->train(static_cast<faiss::Index::idx_t>(ids.size()), vectors.data());
    map->add_with_ids(static_cast<faiss::Index::idx_t>(ids.size()), vectors.data(), ids.data());
  } catch (const faiss::FaissException& e) {
    return make_error(std::string("adding vectors: ") + e.what());
  } catch (const std::exception& e) {
    return make_error(std::string("adding vectors: ") + e.what());
  }
  return {};
}

Status VectorStore::remove(const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  fast_->reset();
  try {
    faiss::IDSelectorBatch sel(ids.size(), ids.data());
    index_->remove_ids(sel);
  } catch (const faiss::FaissException& e) {
    return make_error(std::string("removing vectors (this index type may not support removal; "
                                  "rebuild with trove index --reembed): ") +
                      e.what());
  }
  return {};
}

std::vector<VectorHit> VectorStore::filtered_scan(
    const float* query, int k, const std::unordered_set<int64_t>& allowed) const {
  const IdMap* map = as_idmap(index_.get());
  std::vector<VectorHit> hits;
  std::vector<float> v(dim_);
  for (int64_t id : allowed) {
    if (!map->rev_map.count(id)) continue;
    map->reconstruct(id, v.data());
    float s = 0;
    for (int i = 0; i < dim_; ++i) s += v[i] * query[i];
    hits.push_back({id, s});
  }
  size_t keep = std::min<size_t>(hits.size(), static_cast<size_t>(k));
  std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(),
                    [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; });
  hits.resize(keep);
  return hits;
}

Result<std::vector<VectorHit>> VectorStore::search(
    const float* query, int k, const std::unordered_set<int64_t>* allowed) const {
  std::vector<VectorHit> hits;
  int64_t total = size();
  if (k <= 0 || total == 0) return hits;
  try {
    if (allowed && allowed->size() <= kDirectScanLimit) return filtered_scan(query, k, *allowed);
    // The default exact index: scored by our BLAS, not FAISS's scalar loop (flat_scan.h),
    // and a filter stays exact without over-fetching.
    if (const faiss::IndexFlat* flat = exact_flat()) {
      const float* xb = flat->get_xb();
      const int64_t* ids = as_idmap(index_.get())->id_map.data();
      if (auto codes = fast_->ready(); codes && codes->rows() == flat->ntotal) {
        if (auto exact = codes->top_k(xb, ids, query, k, allowed)) return std::move(*exact);
      } else {
        fast_->note_search(xb, flat->ntotal, dim_);
      }
      return flat_top_k(xb, ids, flat->ntotal, dim_, query, k, allowed);
    }
    int64_t fetch = std::min<int64_t>(
        total, allowed ? std::max<int64_t>(int64_t{8} * k,
                                           k * total / std::max<int64_t>(1, allowed->size()) * 2)
                       : k);
    std::vector<float> dist(fetch);
    std::vector<faiss::Index::idx_t> labels(fetch);
    index_->search(1, query, fetch, dist.data(), labels.data());
    for (int64_t i = 0; i < fetch && static_cast<int>(hits.size()) < k; ++i) {
      if (labels[i] < 0) break;
      if (allowed && !allowed->count(labels[i])) continue;
      hits.push_back({labels[i], dist[i]});
    }
    if (allowed && static_cast<int>(hits.size()) < k && fetch < total)
      return filtered_scan(query, k, *allowed);
  } catch (const faiss::FaissException& e) {
    return make_error(std::string("vector search: ") + e.what());
  }
  return hits;
}

const faiss::IndexFlat* VectorStore::exact_flat() const {
  const IdMap* map = as_idmap(index_.get());
  const auto* flat = map ? dynamic_cast<const faiss::IndexFlat*>(map->index) : nullptr;
  if (flat && flat->metric_type == faiss::METRIC_INNER_PRODUCT &&
      static_cast<int64_t>(map->id_map.size()) == flat->ntotal)
    return flat;
  return nullptr;
}

bool VectorStore::prepare_fast_scan() const {
  const faiss::IndexFlat* flat = exact_flat();
  return flat != nullptr && flat->ntotal > 0 &&
         fast_->build_now(flat->get_xb(), flat->ntotal, dim_);
}

Status VectorStore::save(const std::string& path, uint64_t generation) {
  TROVE_TRY(write_file_atomic(path, [&](FILE* f) -> Status {
    uint32_t dim = static_cast<uint32_t>(dim_);
    bool ok = std::fwrite(kMagic, 1, 8, f) == 8 && std::fwrite(&kFormat, 4, 1, f) == 1 &&
              std::fwrite(&dim, 4, 1, f) == 1 && std::fwrite(&generation, 8, 1, f) == 1;
    if (!ok) return make_error(path + ": write failed: " + std::strerror(errno));
    try {
      faiss::write_index(index_.get(), f);
    } catch (const faiss::FaissException& e) {
      return make_error(path + ": writing FAISS index: " + e.what());
    }
    return {};
  }));
  generation_ = generation;
  return {};
}

}  // namespace trove::index
