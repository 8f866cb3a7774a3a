// bench/hybrid/hybrid_bench.cc — query latency of hybrid search (query embedding
// included) on a 100k-chunk library, with lexical-only and dense-only for comparison.
//
// What it does, all in a temporary home (removed at exit unless --keep):
// 1. Writes a bge-small-shaped GGUF (12 layers x 384, random weights) with
//    bench/tools/make_model (q8_0 by default).
// 2. Builds a library of --chunks chunks (10 per document) straight through SQL: no
//    files are parsed. Chunk texts are runs of 60-120 consecutive words taken at random
//    offsets from ../shared/corpus/dev/**/*.txt, so BM25 sees real term statistics.
//    Every chunk gets a random unit vector in chunk_vectors and meta records the model
//    exactly as index/vector_sync.cc's record_model does, so the library looks fully
//    embedded. (Embedding 100k chunks with the model would take far longer than the
//    benchmark itself; vector values do not change exact-search cost.)
// 3. Times the FAISS cache: rebuild from chunk_vectors (DenseRetriever::open with no
//    vectors.faiss), save, and load of the saved file.
// 4. Times 100 queries (the questions of ../shared/eval/questions-dev.tsv, then
//    bench/search/word_queries.txt), k=10, 10 warm-up queries per mode: query embedding
//    alone, vector search alone (VectorStore::search), lexical, dense, hybrid (RRF).
//    p50 / p99 / mean in ms. The first vector-search line runs while the store still
//    scans floats (its second search starts the Q8_0 code build in the background, so
//    its later queries may already use the codes); then the codes are built, timed,
//    checked against a brute-force float scan (recall@k, order) and timed again.
//    Also: the five slowest lexical queries and their match counts, resident memory
//    (the bench holds two copies of the vectors: its own store and the retriever's).
// 5. With --hnsw (default on), the same dense and hybrid figures with an HNSW32 index
//    (meta.vector_factory = HNSW32, rebuilt in memory by DenseRetriever::open). Random
//    384-d vectors are a hard case for HNSW; its recall is not measured here.
//
// Exact command (from the repository root, after building the hybrid_bench target):
//   build-hybridbench/bench/hybrid/hybrid_bench --chunks 100000 --threads 2 --type q8_0
// Options: --home DIR (build there, kept), --keep, --no-hnsw, -k N, --type f16|q8_0.
// The FAISS inner loops use OpenMP: set OMP_NUM_THREADS=2 in the environment to pin
// them to the same thread count as the embedder.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_args.h"
#include "embed/embedder.h"
#include "index/content_hash.h"
#include "index/flat_scan.h"
#include "index/fts_query.h"
#include "index/hybrid_retriever.h"
#include "index/library.h"
#include "index/retriever.h"
#include "index/sqlite.h"
#include "index/vector_store.h"
#include "index/vector_sync.h"

namespace fs = std::filesystem;
using trove::index::Db;
using trove::index::Stmt;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Options {
  std::string home;  // empty: a fresh temporary folder
  bool keep = false;
  bool hnsw = true;
  int64_t chunks = 100000;
  int threads = 2;
  int k = 10;
  std::string type = "q8_0";
  std::string corpus = TROVE_SOURCE_DIR "/../shared/corpus/dev";
  std::string questions = TROVE_SOURCE_DIR "/../shared/eval/questions-dev.tsv";
  std::string words = TROVE_SOURCE_DIR "/bench/search/word_queries.txt";
  size_t max_queries = 100;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "hybrid_bench: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T must(trove::Result<T> r, const char* what) {
  if (!r.ok()) die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

void must(const trove::Status& s, const char* what) {
  if (!s.ok()) die(std::string(what) + ": " + s.error().message);
}

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--keep") {
      o.keep = true;
    } else if (a == "--no-hnsw") {
      o.hnsw = false;
    } else if (a == "--home") {
      o.home = next();
      o.keep = true;
    } else if (a == "--chunks") {
      o.chunks = trove::bench::int64_arg(next(), "--chunks");
    } else if (a == "--threads") {
      o.threads = trove::bench::int_arg(next(), "--threads");
    } else if (a == "-k") {
      o.k = trove::bench::int_arg(next(), "-k");
    } else if (a == "--type") {
      o.type = next();
    } else if (a == "--corpus") {
      o.corpus = next();
    } else {
      return false;
    }
  }
  return o.chunks > 0 && o.threads > 0 && o.k > 0 && (o.type == "q8_0" || o.type == "f16");
}

// --- inputs ---------------------------------------------------------------------

// Lines of a file; for a TSV only the first field; '#' lines and blanks skipped.
std::vector<std::string> read_queries(const std::string& path, bool first_field) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (first_field) line = line.substr(0, line.find('\t'));
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

// Every word of the corpus's .txt files, in order (letters, digits, '-' and '_'
// kept; the rest split words), so windows of it read like the real documents.
std::vector<std::string> corpus_words(const std::string& root) {
  std::vector<std::string> words;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string w;
    for (char c; in.get(c);) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || c == '-' || c == '_') {
        w += c;
      } else if (!w.empty()) {
        if (w.size() < 30) words.push_back(w);
        w.clear();
      }
    }
  }
  return words;
}

std::string make_model(const Options& o, const std::string& dir) {
  std::string out = dir + "/bge-small-en-v1.5-" + o.type + ".gguf";
  const std::string cmd = std::string("'") + TROVE_MAKE_MODEL + "' --model bge-small --type " +
                          o.type + " --out '" + out +
                          "' --fixtures '" TROVE_SOURCE_DIR "/../shared/fixtures' > /dev/null";
  if (std::system(cmd.c_str()) != 0) die("make_model failed: " + cmd);
  return out;
}

// --- the library ----------------------------------------------------------------

constexpr int kChunksPerDoc = 10;

struct Inserters {
  Stmt doc, chunk, vec;
};

Inserters prepare_inserters(Db& db) {
  Inserters s;
  s.doc = must(db.prepare("INSERT INTO documents(id, source_id, path, rel_path, size, mtime_ns,"
                          " content_hash, type, title, status, indexed_at)"
                          " VALUES(?1, 1, ?2, ?3, ?4, 0, ?5, 'text', ?6, 'ok', 0)"),
               "prepare documents");
  s.chunk = must(db.prepare("INSERT INTO chunks(document_id, ordinal, text, line_start,"
                            " line_end, token_count) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"),
                 "prepare chunks");
  s.vec = must(db.prepare("INSERT INTO chunk_vectors(chunk_id, vec) VALUES(?1, ?2)"),
               "prepare chunk_vectors");
  return s;
}

std::string window(const std::vector<std::string>& words, std::mt19937_64& rng, int n) {
  std::uniform_int_distribution<size_t> at(0, words.size() - static_cast<size_t>(n));
  const size_t from = at(rng);
  std::string text;
  for (size_t i = from; i < from + static_cast<size_t>(n); ++i) {
    if (!text.empty()) text += ' ';
    text += words[i];
  }
  return text;
}

std::vector<float> random_unit(std::mt19937_64& rng, int dim) {
  std::normal_distribution<float> g;
  std::vector<float> v(static_cast<size_t>(dim));
  double norm = 0;
  for (float& x : v) {
    x = g(rng);
    norm += static_cast<double>(x) * x;
  }
  const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : v) x *= inv;
  return v;
}

void insert_document(Db& db, Inserters& s, int64_t doc, const std::vector<std::string>& words,
                     std::mt19937_64& rng, int dim) {
  std::uniform_int_distribution<int> len(60, 120);
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (int i = 0; i < kChunksPerDoc; ++i)
    bytes += (texts.emplace_back(window(words, rng, len(rng)))).size();
  const std::string path = "/bench/corpus/doc" + std::to_string(doc) + ".txt";
  const std::string title = window(words, rng, 4);
  s.doc.bind(1, doc).bind(2, path).bind(3, path.substr(14)).bind(4, static_cast<int64_t>(bytes));
  s.doc.bind(5, trove::index::sha256_hex(path)).bind(6, title);
  must(s.doc.run(), "insert document");
  for (int i = 0; i < kChunksPerDoc; ++i) {
    s.chunk.bind(1, doc).bind(2, i).bind(3, texts[static_cast<size_t>(i)]);
    s.chunk.bind(4, i * 10 + 1).bind(5, i * 10 + 10).bind(6, 150);
    must(s.chunk.run(), "insert chunk");
    const std::vector<float> v = random_unit(rng, dim);
    s.vec.bind(1, db.last_insert_rowid());
    s.vec.bind_blob(2, v.data(), v.size() * sizeof(float));
    must(s.vec.run(), "insert vector");
  }
}

void set_meta(Db& db, const std::string& key, const std::string& value) {
  auto st = must(db.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                 "prepare meta");
  st.bind(1, key).bind(2, value);
  must(st.run(), "set meta");
}

// The same keys as index/vector_sync.cc's record_model, plus the factory and the
// generation that sync_vectors would leave after embedding every chunk.
void record_embedded_state(Db& db, const trove::index::EmbeddingModelId& m) {
  set_meta(db, "embed_model_name", m.name);
  set_meta(db, "embed_model_path", m.path);
  set_meta(db, "embed_model_sha256", m.sha256);
  set_meta(db, "embed_model_arch", m.arch);
  set_meta(db, "embed_model_dim", std::to_string(m.dim));
  set_meta(db, "embed_model_family", m.family);
  set_meta(db, "embed_query_prefix", m.query_prefix);
  set_meta(db, "embed_document_prefix", m.document_prefix);
  set_meta(db, "vector_factory", "Flat");
  set_meta(db, "vector_generation", "1");
}

void build_library(Db& db, const Options& o, const std::vector<std::string>& words,
                   const trove::index::EmbeddingModelId& model) {
  auto tx = must(trove::index::Transaction::begin(db), "begin");
  must(db.exec("INSERT INTO sources(id, root, added_at) VALUES(1, '/bench/corpus', 0)"),
       "insert source");
  Inserters s = prepare_inserters(db);
  std::mt19937_64 rng(20261122);
  const int64_t docs = (o.chunks + kChunksPerDoc - 1) / kChunksPerDoc;
  for (int64_t d = 1; d <= docs; ++d) insert_document(db, s, d, words, rng, model.dim);
  record_embedded_state(db, model);
  must(tx.commit(), "commit");
}

// --- measuring ------------------------------------------------------------------

struct Figures {
  double p50 = 0, p99 = 0, mean = 0;
  double cpu_mean = 0;  // process CPU time per input, all threads (see print())
};

double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Nearest-rank percentile of sorted values (p in 0..100).
double percentile(const std::vector<double>& sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  const size_t rank = static_cast<size_t>(std::clamp(std::ceil(p / 100.0 * n), 1.0, n));
  return sorted[rank - 1];
}

// Warm-up on the first kWarmup inputs (page cache, FAISS and SQLite caches, the
// embedder's scratch), then one timed pass over all n; run_one(i) does input i.
constexpr size_t kWarmup = 10;
template <typename F>
Figures time_n(size_t n, F&& run_one) {
  for (size_t i = 0; i < std::min(n, kWarmup); ++i) run_one(i);
  std::vector<double> ms;
  const double cpu0 = process_cpu_ms();
  for (size_t i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    run_one(i);
    ms.push_back(ms_since(t0));
  }
  Figures f;
  f.cpu_mean = (process_cpu_ms() - cpu0) / static_cast<double>(n);
  f.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
  std::sort(ms.begin(), ms.end());
  f.p50 = percentile(ms, 50);
  f.p99 = percentile(ms, 99);
  return f;
}

// cpu: CPU time this process used per query, all threads. On a shared, oversubscribed
// machine wall time includes waiting for a core; cpu (cpu / threads for the embedder)
// is closer to what a quiet machine would show.
void print(const char* what, const Figures& f) {
  std::printf("  %-42s p50 %8.3f ms  p99 %8.3f ms  mean %8.3f ms  cpu %8.3f ms\n", what, f.p50,
              f.p99, f.mean, f.cpu_mean);
  std::fflush(stdout);
}

void time_retriever(const char* what, const trove::index::Retriever& r,
                    const std::vector<std::string>& queries, int k) {
  const trove::index::SearchFilters none;
  print(what, time_n(queries.size(), [&](size_t i) {
          auto hits = r.search(queries[i], k, none);
          if (!hits.ok()) die("search '" + queries[i] + "': " + hits.error().message);
        }));
}

// FAISS alone on precomputed query vectors (the dense retriever asks for 2k; the
// hybrid one for 2 * max(3k, 30)).
void time_vectors(const char* what, const trove::index::VectorStore& store,
                const std::vector<std::vector<float>>& qvecs, int fetch) {
  print(what, time_n(qvecs.size(), [&](size_t i) {
          (void)must(store.search(qvecs[i].data(), fetch, nullptr), "vector search");
        }));
}

double rss_mb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::strtod(line.c_str() + std::strlen(field), nullptr) / 1024;
  }
  return 0;
}

struct Setup;
void report_exactness(const Setup& s, const trove::index::VectorStore& store,
                      const std::vector<std::vector<float>>& qvecs, int k);

struct Setup {
  std::string home, model_path;
  trove::index::LibraryPaths paths;
  std::shared_ptr<trove::Embedder> embedder;
  std::vector<std::string> queries;
};

// Builds the store as a reader would when vectors.faiss is stale (load_vectors, with
// meta.vector_factory's index), then saves it as the writer does.
void rebuild_and_save(const Setup& s, const char* factory) {
  fs::remove(s.paths.vectors);
  Db db = must(Db::open(s.paths.db, trove::index::OpenMode::kReadOnly), "open db");
  bool repaired = false;
  auto t0 = Clock::now();
  auto store =
      must(trove::index::load_vectors(db, s.paths.vectors, s.embedder->dim(), &repaired), "load");
  const double rebuild = ms_since(t0);
  t0 = Clock::now();
  must(store.save(s.paths.vectors, static_cast<uint64_t>(trove::index::vector_generation(db))),
       "save vectors.faiss");
  std::printf("%s: rebuild from chunk_vectors %.0f ms, save vectors.faiss (%.0f MB) %.0f ms\n",
              factory, rebuild, static_cast<double>(fs::file_size(s.paths.vectors)) / 1e6,
              ms_since(t0));
}

void time_all(const Setup& s, const Options& o, const char* factory,
              const std::vector<std::vector<float>>& qvecs) {
  auto t0 = Clock::now();
  auto dense = must(trove::index::DenseRetriever::open(s.paths.db, s.paths.vectors, s.embedder),
                    "open dense retriever");
  std::printf("%s: DenseRetriever::open %.0f ms (%s)\n", factory, ms_since(t0),
              dense->repaired() ? "rebuilt from chunk_vectors" : "loaded vectors.faiss");
  std::fflush(stdout);
  t0 = Clock::now();
  auto store = must(trove::index::VectorStore::load(s.paths.vectors), "load vectors.faiss");
  std::printf("%s: VectorStore::load %.0f ms\n", factory, ms_since(t0));
  const int hybrid_depth = std::max(o.k * 3, 30);
  time_vectors("vector search, before codes (dense: 2k)", store, qvecs, 2 * o.k);
  // The codes a long-lived process builds at its second search (vector_store.h).
  t0 = Clock::now();
  const bool codes = store.prepare_fast_scan() && dense->prepare_fast_scan();
  std::printf("%s: Q8_0 codes %s in %.0f ms (each store; built once per process)\n", factory,
              codes ? "built" : "not used", ms_since(t0) / 2);
  report_exactness(s, store, qvecs, o.k);
  time_vectors("vector search alone (dense: 2k)", store, qvecs, 2 * o.k);
  time_vectors("vector search alone (hybrid: 2*max(3k,30))", store, qvecs, 2 * hybrid_depth);
  time_retriever("dense (embed + faiss + details)", *dense, s.queries, o.k);
  auto lexical = must(trove::index::LexicalRetriever::open(s.paths.db), "open lexical");
  trove::index::HybridRetriever hybrid(std::move(lexical), std::move(dense));
  time_retriever("hybrid (lexical + dense + RRF)", hybrid, s.queries, o.k);
  std::printf("%s: resident memory %.0f MB (peak %.0f MB)\n", factory, rss_mb("VmRSS:"),
              rss_mb("VmHWM:"));
}

// recall@k of VectorStore::search against a brute-force float scan of chunk_vectors
// (flat_top_k): 1.0 for an exact index; HNSW's shortfall shows here.
void report_exactness(const Setup& s, const trove::index::VectorStore& store,
                      const std::vector<std::vector<float>>& qvecs, int k) {
  Db db = must(Db::open(s.paths.db, trove::index::OpenMode::kReadOnly), "open db");
  Stmt st = must(db.prepare("SELECT chunk_id, vec FROM chunk_vectors ORDER BY chunk_id"), "prepare");
  std::vector<int64_t> ids;
  std::vector<float> vecs;
  const size_t dim = static_cast<size_t>(store.dim());
  while (must(st.step(), "read chunk_vectors")) {
    auto [p, n] = st.column_blob(1);
    if (n != dim * sizeof(float)) continue;
    ids.push_back(st.column_int(0));
    vecs.resize(vecs.size() + dim);
    std::memcpy(&vecs[vecs.size() - dim], p, n);
  }
  size_t found = 0, wanted = 0, same_order = 0;
  for (const auto& q : qvecs) {
    const auto want = trove::index::flat_top_k(vecs.data(), ids.data(),
                                               static_cast<int64_t>(ids.size()),
                                               static_cast<int>(dim), q.data(), k, nullptr);
    const auto got = must(store.search(q.data(), k, nullptr), "vector search");
    bool same = got.size() == want.size();
    for (size_t i = 0; i < want.size(); ++i) {
      for (const auto& g : got) found += g.id == want[i].id;
      same = same && i < got.size() && got[i].id == want[i].id;
    }
    wanted += want.size();
    same_order += same;
  }
  std::printf("  recall@%d vs exact float scan %.4f (%zu of %zu queries in the same order)\n", k,
              wanted ? static_cast<double>(found) / static_cast<double>(wanted) : 0.0, same_order,
              qvecs.size());
}

// The lexical tail: the five slowest queries (median of 3 runs each), how many chunks
// their MATCH selects (what FTS5 must score and sort) and how long ranking alone takes.
void slowest_lexical(const Setup& s, const trove::index::Retriever& lexical, int k) {
  Db db = must(Db::open(s.paths.db, trove::index::OpenMode::kReadOnly), "open db");
  Stmt count = must(db.prepare("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?1"),
                    "prepare count");
  std::vector<std::pair<double, size_t>> by_time;
  for (size_t i = 0; i < s.queries.size(); ++i) {
    std::vector<double> t;
    for (int r = 0; r < 3; ++r) {
      auto t0 = Clock::now();
      (void)must(lexical.search(s.queries[i], k, {}), "search");
      t.push_back(ms_since(t0));
    }
    std::sort(t.begin(), t.end());
    by_time.emplace_back(t[1], i);
  }
  std::sort(by_time.rbegin(), by_time.rend());
  for (size_t j = 0; j < std::min<size_t>(5, by_time.size()); ++j) {
    const std::string& q = s.queries[by_time[j].second];
    const std::string match = trove::index::translate_query(q).match;
    count.reset();
    count.bind(1, match);
    const int64_t rows = must(count.step(), "count") ? count.column_int(0) : 0;
    std::printf("  slow lexical %7.1f ms, %6lld chunks match: %s\n", by_time[j].first,
                static_cast<long long>(rows), match.c_str());
  }
}

Setup prepare(const Options& o) {
  Setup s;
  s.home = o.home;
  if (s.home.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "hybrid_bench.XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) die("mkdtemp failed");
    s.home = tmpl;
  }
  fs::create_directories(s.home);
  auto t0 = Clock::now();
  s.model_path = make_model(o, s.home);
  std::printf("model %s written in %.1f s\n", s.model_path.c_str(), ms_since(t0) / 1000);
  s.embedder = must(trove::Embedder::open(s.model_path, {.n_threads = o.threads}), "embedder");
  s.queries = read_queries(o.questions, true);
  for (auto& w : read_queries(o.words, false)) s.queries.push_back(std::move(w));
  if (s.queries.size() > o.max_queries) s.queries.resize(o.max_queries);
  if (s.queries.empty()) die("no queries in " + o.questions + " or " + o.words);
  s.paths = must(trove::index::resolve_library_paths(s.home), "library paths");
  return s;
}

void make_library(const Setup& s, const Options& o) {
  Db db = must(trove::index::open_library(s.paths), "open library");
  const int64_t have = must(trove::index::query_int(db, "SELECT count(*) FROM chunks"), "count");
  if (have > 0) {
    std::printf("library %s already has %lld chunks: reused\n", s.home.c_str(),
                static_cast<long long>(have));
    return;
  }
  auto t0 = Clock::now();
  const std::vector<std::string> words = corpus_words(o.corpus);
  if (words.size() < 1000) die("too few words under " + o.corpus);
  std::printf("vocabulary: %zu words read from %s in %.1f s\n", words.size(), o.corpus.c_str(),
              ms_since(t0) / 1000);
  std::ifstream in(s.model_path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const auto model = trove::index::identity_of(*s.embedder, "bge-small-random", s.model_path,
                                               trove::index::sha256_hex(bytes.str()));
  t0 = Clock::now();
  build_library(db, o, words, model);
  std::printf(
      "library: %lld chunks (documents, chunks + FTS5 triggers, chunk_vectors) built in"
      " %.1f s\n",
      static_cast<long long>(o.chunks), ms_since(t0) / 1000);
}

void run(const Options& o) {
  Setup s = prepare(o);
  make_library(s, o);
  std::printf("%zu queries, k=%d, embedder threads %d, %s model\n", s.queries.size(), o.k,
              o.threads, o.type.c_str());
  print("query embedding alone (embed_query)",
        time_n(s.queries.size(), [&](size_t i) { (void)s.embedder->embed_query(s.queries[i]); }));
  std::vector<std::vector<float>> qvecs;  // for FAISS alone
  for (const auto& q : s.queries) qvecs.push_back(s.embedder->embed_query(q));
  auto lexical = must(trove::index::LexicalRetriever::open(s.paths.db), "open lexical");
  time_retriever("lexical (FTS5 BM25)", *lexical, s.queries, o.k);
  size_t empty = 0;
  for (const auto& q : s.queries) empty += must(lexical->search(q, o.k, {}), "search").empty();
  std::printf("  (%zu of %zu queries found nothing lexically)\n", empty, s.queries.size());
  slowest_lexical(s, *lexical, o.k);

  // The reader's path when vectors.faiss is missing: rebuilt in memory on open.
  fs::remove(s.paths.vectors);
  auto t0 = Clock::now();
  auto stale = must(trove::index::DenseRetriever::open(s.paths.db, s.paths.vectors, s.embedder),
                    "open dense retriever");
  std::printf("Flat: DenseRetriever::open with no vectors.faiss %.0f ms (%s)\n", ms_since(t0),
              stale->repaired() ? "rebuilt from chunk_vectors" : "loaded?");
  stale.reset();
  rebuild_and_save(s, "Flat");
  time_all(s, o, "Flat", qvecs);

  if (o.hnsw) {
    Db db = must(trove::index::open_library(s.paths), "open library");
    set_meta(db, "vector_factory", "HNSW32");
    rebuild_and_save(s, "HNSW32");
    time_all(s, o, "HNSW32", qvecs);
    set_meta(db, "vector_factory", "Flat");
    fs::remove(s.paths.vectors);  // a later run with --home starts from Flat
  }
  if (!o.keep) fs::remove_all(s.home);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: hybrid_bench [--chunks N] [--threads N] [-k N] [--type q8_0|f16]\n"
                 "                    [--home DIR] [--keep] [--no-hnsw] [--corpus DIR]\n");
    return 2;
  }
  run(o);
  return 0;
}
