// index/vector_factory.cc — the factory-string grammar trove accepts (vector_factory.h).
#include "index/vector_factory.h"

#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace trove::index {
namespace {

constexpr std::string_view kExpected =
    "expected Flat, HNSW<M>, HNSW<M>,PQ<m>, IVF<n>,Flat, IVF<n>,PQ<m>[x<bits>], IVF<n>,SQ8, "
    "PQ<m> or SQ8";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// Parses the decimal number after `prefix` in `tok`; rest is what follows it.
bool number_after(const std::string& tok, std::string_view prefix, int64_t* n, std::string* rest) {
  if (tok.rfind(prefix, 0) != 0) return false;
  const char* p = tok.c_str() + prefix.size();
  if (*p < '0' || *p > '9') return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(p, &end, 10);
  if (errno != 0 || v > (1ll << 40)) return false;
  *n = v;
  *rest = end;
  return true;
}

struct Parsed {
  bool ok = false;
  std::string error;
  bool trained = false;
  bool removable = true;
};

Parsed bad(const std::string& factory, const std::string& why) {
  Parsed p;
  p.error = "--vector-index '" + factory + "': " + why;
  return p;
}

// Checks one PQ<m>[x<b>] token.
std::string check_pq(const std::string& tok, int dim, int64_t vectors) {
  int64_t m = 0, bits = 8;
  std::string rest;
  if (!number_after(tok, "PQ", &m, &rest)) return "'" + tok + "' is not PQ<m>[x<bits>]";
  if (!rest.empty()) {
    std::string more;
    if (!number_after(rest, "x", &bits, &more) || !more.empty())
      return "'" + tok + "' is not PQ<m>[x<bits>]";
  }
  if (m < 1 || m > dim || dim % m != 0) {
    return "PQ" + std::to_string(m) + " needs a number of sub-quantizers that divides the " +
           "dimension " + std::to_string(dim) + " (e.g. PQ" + std::to_string(dim / 8 ? dim / 8 : 1) +
           ")";
  }
  if (bits < 1 || bits > 16) return "PQ bits must be 1..16, found " + std::to_string(bits);
  if (vectors >= 0 && vectors < (int64_t{1} << bits)) {
    return "PQ with " + std::to_string(bits) + " bits needs at least " +
           std::to_string(int64_t{1} << bits) + " vectors to train, the library has " +
           std::to_string(vectors) + " (use Flat until it grows)";
  }
  return {};
}

std::string check_sq(const std::string& tok) {
  if (tok == "SQ8" || tok == "SQ4" || tok == "SQ6" || tok == "SQfp16") return {};
  return "'" + tok + "' is not SQ8, SQ4, SQ6 or SQfp16";
}

// The second part of HNSW<M>,X or IVF<n>,X.
std::string check_storage(const std::string& tok, int dim, int64_t vectors, bool* trained) {
  if (tok == "Flat") return {};
  *trained = true;
  if (tok.rfind("PQ", 0) == 0) return check_pq(tok, dim, vectors);
  if (tok.rfind("SQ", 0) == 0) return check_sq(tok);
  return "'" + tok + "' is not Flat, PQ<m> or SQ8";
}

Parsed parse(const std::string& f, int dim, int64_t vectors) {
  if (f.empty()) return bad(f, std::string("empty; ") + std::string(kExpected));
  auto parts = split(f);
  if (parts.size() > 2) return bad(f, std::string("too many parts; ") + std::string(kExpected));
  Parsed p;
  const std::string& head = parts[0];
  const std::string second = parts.size() == 2 ? parts[1] : "";
  int64_t n = 0;
  std::string rest;
  std::string err;
  if (head == "Flat" && parts.size() == 1) {
    p.ok = true;
    return p;
  }
  if (number_after(head, "HNSW", &n, &rest) && rest.empty()) {
    if (n < 4 || n > 128)
      return bad(f, "HNSW" + std::to_string(n) + ": M must be 4..128 (16 or 32 are usual)");
    p.removable = false;  // FAISS HNSW cannot remove vectors: trove rebuilds instead
    if (!second.empty()) err = check_storage(second, dim, vectors, &p.trained);
  } else if (number_after(head, "IVF", &n, &rest) && rest.empty()) {
    if (second.empty()) return bad(f, "IVF" + std::to_string(n) + " needs ,Flat ,PQ<m> or ,SQ8");
    if (n < 1 || n > 1000000) return bad(f, "IVF lists must be 1..1000000");
    if (vectors >= 0 && vectors < n) {
      return bad(f, "IVF" + std::to_string(n) + " needs at least " + std::to_string(n) +
                        " vectors to train its lists, the library has " + std::to_string(vectors) +
                        " (use fewer lists, about sqrt(vectors), or Flat)");
    }
    p.trained = true;
    err = check_storage(second, dim, vectors, &p.trained);
  } else if (head.rfind("PQ", 0) == 0 && second.empty()) {
    p.trained = true;
    err = check_pq(head, dim, vectors);
  } else if (head.rfind("SQ", 0) == 0 && second.empty()) {
    p.trained = true;
    err = check_sq(head);
  } else {
    return bad(f, "not a vector index trove knows; " + std::string(kExpected));
  }
  if (!err.empty()) return bad(f, err);
  p.ok = true;
  return p;
}

}  // namespace

Status check_vector_factory(const std::string& factory, int dim, int64_t vectors) {
  if (dim <= 0) return make_error("--vector-index: unknown vector dimension");
  Parsed p = parse(factory, dim, vectors);
  if (!p.ok) return make_error(p.error);
  return {};
}

bool factory_needs_training(const std::string& factory, int dim) {
  return parse(factory, dim, -1).trained;
}

bool factory_supports_removal(const std::string& factory, int dim) {
  Parsed p = parse(factory, dim, -1);
  return p.ok && p.removable;
}

}  // namespace trove::index
