// answer/claim_alignment.cc — see claim_alignment.h.
//
// D[i][j]: best score of an alignment whose last match is claim i with passage j.
// M[i][j]: best D[i'][j'] with i' <= i, j' <= j, less the gap cost from j' to j, so
// D[i][j] = w + max(0, M[i-1][j-1]) and M[i][j] = max(D, M[i-1][j], M[i][j-1] - cost).
// M remembers which D cell it came from for the trace back.
#include "answer/claim_alignment.h"

#include <algorithm>
#include <limits>

namespace trove::answer {
namespace {

double weight(const ClaimToken& t) {
  // Exact terms say more than words: a shared flag or number anchors a window.
  return t.kind == TokenKind::kWord ? 1.0 : 1.25;
}

}  // namespace

bool keys_match(const ClaimToken& a, const ClaimToken& b) {
  return a.key == b.key || (!a.alt_key.empty() && a.alt_key == b.key) ||
         (!b.alt_key.empty() && b.alt_key == a.key);
}

bool matched_by_prefix_negation(const ClaimToken& a, const ClaimToken& b) { return a.key != b.key; }

bool substitutable(const ClaimToken& a, const ClaimToken& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TokenKind::kWord) return a.name && b.name;
  return true;
}

Alignment align_claim(const std::vector<ClaimToken>& claim, size_t claim_begin, size_t claim_end,
                      const std::vector<ClaimToken>& passage, size_t region_begin, size_t region_end,
                      const AlignParams& params) {
  Alignment best;
  size_t n = claim_end - claim_begin, m = region_end - region_begin;
  if (n == 0 || m == 0) return best;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  size_t w = m + 1;
  std::vector<double> D((n + 1) * w, kNone), M((n + 1) * w, kNone);
  std::vector<uint32_t> from((n + 1) * w, 0);  // M's source cell, as i * w + j
  std::vector<uint32_t> prev((n + 1) * w, 0);  // D's predecessor cell, 0 = start
  size_t best_cell = 0;
  double best_score = 0;
  for (size_t i = 1; i <= n; ++i) {
    const ClaimToken& c = claim[claim_begin + i - 1];
    double wc = weight(c);
    for (size_t j = 1; j <= m; ++j) {
      size_t cell = i * w + j;
      const ClaimToken& p = passage[region_begin + j - 1];
      bool exact = keys_match(c, p);
      if (exact || substitutable(c, p)) {
        size_t diag = (i - 1) * w + (j - 1);
        double base = M[diag];
        if (base > 0) {
          D[cell] = (exact ? wc : params.substitution) + base;
          prev[cell] = from[diag];
        } else {
          D[cell] = exact ? wc : params.substitution;
          prev[cell] = 0;
        }
        if (D[cell] > best_score) {
          best_score = D[cell];
          best_cell = cell;
        }
      }
      double cost = params.gap;
      if (j >= 2 && passage[region_begin + j - 2].sentence != p.sentence) cost += params.sentence_break;
      double up = M[(i - 1) * w + j];
      double left = M[i * w + j - 1] - cost;
      double val = D[cell];
      uint32_t src = static_cast<uint32_t>(cell);
      if (up > val) {
        val = up;
        src = from[(i - 1) * w + j];
      }
      if (left > val) {
        val = left;
        src = from[i * w + j - 1];
      }
      M[cell] = val;
      from[cell] = src;
    }
  }
  best.score = best_score;
  for (size_t cell = best_cell; cell != 0; cell = prev[cell]) {
    size_t i = cell / w, j = cell % w;
    auto pair = std::make_pair(static_cast<uint32_t>(claim_begin + i - 1), static_cast<uint32_t>(region_begin + j - 1));
    (keys_match(claim[pair.first], passage[pair.second]) ? best.pairs : best.substitutions).push_back(pair);
  }
  std::reverse(best.pairs.begin(), best.pairs.end());
  std::reverse(best.substitutions.begin(), best.substitutions.end());
  return best;
}

}  // namespace trove::answer
