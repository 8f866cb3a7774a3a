// core/quant_blocks.h — (internal) the byte layout of every GGML quantized block trove
// reads, as stored in GGUF files. The layouts are the file format's (ggml-common.h);
// the static_asserts pin each size so a padding change can never slip in.
//
// Notation used in the comments: a block holds `QK` weights; `d` is the block scale
// (fp16 bits), `m`/`dmin` a min/offset, `qs` packed low bits, `qh` high bits.
#pragma once

#include <cstdint>

namespace trove::quant {

inline constexpr int kQK = 32;    // elements per block of the "legacy" 32-element types
inline constexpr int kQKK = 256;  // elements per K-quant super-block
inline constexpr int kKScaleSize = 12;

// w = d * (nibble - 8). Element j (< 16) is the low nibble of qs[j], j + 16 the high one.
struct BlockQ4_0 {
  uint16_t d;
  uint8_t qs[kQK / 2];
};
// w = d * nibble + m; same nibble order as Q4_0.
struct BlockQ4_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qs[kQK / 2];
};
// w = d * ((nibble | bit << 4) - 16); bit j of the little-endian qh word is element j's.
struct BlockQ5_0 {
  uint16_t d;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
// w = d * (nibble | bit << 4) + m.
struct BlockQ5_1 {
  uint16_t d;
  uint16_t m;
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
// w = d * q. Also the activation format for Q4_0 / Q5_0 / Q8_0 weights.
struct BlockQ8_0 {
  uint16_t d;
  int8_t qs[kQK];
};
// Q8_0 plus s = d * sum(qs): the activation format for the types with a min (Q4_1,
// Q5_1), whose dot product needs the sum of the activations of each block.
struct BlockQ8_1 {
  uint16_t d;
  uint16_t s;
  int8_t qs[kQK];
};

// 16 groups of 16: w = d * (sc & 15) * q - dmin * (sc >> 4), q in 0..3.
// Element 128*h + 32*j + l is bits 2j..2j+1 of qs[32*h + l]; its group is 8*h + 2*j + l/16.
struct BlockQ2_K {
  uint8_t scales[kQKK / 16];
  uint8_t qs[kQKK / 4];
  uint16_t d;
  uint16_t dmin;
};
// 16 groups of 16: w = d * (scale - 32) * (q - (hbit ? 0 : 4)), q the 2 low bits laid out
// as in Q2_K; hbit of element 128*h + 32*j + l is bit 4*h + j of hmask[l]. The 6-bit
// scales are packed in 12 bytes: low nibbles in bytes 0..7, top 2 bits in bytes 8..11.
struct BlockQ3_K {
  uint8_t hmask[kQKK / 8];
  uint8_t qs[kQKK / 4];
  uint8_t scales[kKScaleSize];
  uint16_t d;
};
// 8 groups of 32: w = d * sc * q - dmin * m, 6-bit sc/m packed in 12 bytes (see
// scale_min_k4). Element 64*c + l (l < 32) is the low nibble of qs[32*c + l], 64*c+32+l
// the high one; groups 2c and 2c+1.
struct BlockQ4_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qs[kQKK / 2];
};
// Q4_K plus a fifth bit: for chunk c, bit 2c of qh[l] belongs to the low nibble and
// bit 2c+1 to the high nibble.
struct BlockQ5_K {
  uint16_t d;
  uint16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qh[kQKK / 8];
  uint8_t qs[kQKK / 2];
};
// 16 groups of 16: w = d * scales[g] * (q - 32), q 6 bits. For half h (128 elements),
// l < 32: element 128h + l     = ql[64h + l] & 15      | (qh[32h + l] >> 0 & 3) << 4
//         element 128h + l + 32 = ql[64h + l + 32] & 15 | (qh[32h + l] >> 2 & 3) << 4
//         element 128h + l + 64 = ql[64h + l] >> 4      | (qh[32h + l] >> 4 & 3) << 4
//         element 128h + l + 96 = ql[64h + l + 32] >> 4 | (qh[32h + l] >> 6 & 3) << 4
struct BlockQ6_K {
  uint8_t ql[kQKK / 2];
  uint8_t qh[kQKK / 4];
  int8_t scales[kQKK / 16];
  uint16_t d;
};
// Activation format for the K-quants: float scale, and bsums[g] = sum of the 16 quants
// of group g, which the K-quant dot products use to apply the mins without touching qs.
struct BlockQ8_K {
  float d;
  int8_t qs[kQKK];
  int16_t bsums[kQKK / 16];
};

static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ8_1) == 36);
static_assert(sizeof(BlockQ2_K) == 84);
static_assert(sizeof(BlockQ3_K) == 110);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);
static_assert(sizeof(BlockQ8_K) == 292);

// The 6-bit scale and min of group j (0..7) of a Q4_K / Q5_K block. Groups 0..3 keep
// them in the low 6 bits of bytes j and j+4; groups 4..7 split them into a nibble in
// byte j+4 and the top two bits of bytes j-4 (scale) and j (min).
static inline void scale_min_k4(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

// The 16 signed 6-bit scales (already minus 32) of a Q3_K block.
static inline void q3k_scales(const uint8_t* packed, int8_t out[16]) {
  for (int j = 0; j < 16; ++j) {
    const int low = j < 8 ? packed[j] & 0xF : packed[j - 8] >> 4;
    const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
    out[j] = static_cast<int8_t>((low | (high << 4)) - 32);
  }
}

}  // namespace trove::quant
