// The packed weight layout the quantized products read: ggml's blocks regrouped so that one SIMD
// multiply-add serves 16 weight rows at once and each output lane is one row (no horizontal sums).
//
// Rows go in groups of 16 (the last group padded with zero rows). A group of a matrix with `blocks`
// 32-weight blocks per row holds, block after block:
//   qs [blocks][V][16 rows][4 bytes]: vector j of block b holds, for each row, 4 adjacent weights as u8:
//        Q4_0, Q4_1 (V = 4): byte k = n[4j + k] | n[16 + 4j + k] << 4  (low nibbles: weights 4j..4j+3,
//                            high nibbles: weights 16+4j..16+4j+3; n the 4-bit value)
//        Q8_0 (V = 8):       byte k = q[4j + k] + 128
//   d  [blocks][16] f16: the rows' scales
//   m  [blocks][16] f16: the rows' offsets (Q4_1 only)
// so the group is V·64 + 32 (+ 32) = 16 × ggml's block bytes per block: the same size as the file.
// Every weight is u·d + o with u the unsigned byte or nibble and o = m (Q4_1), −8·d (Q4_0), −128·d (Q8_0).
#include "internal.h"
#include <string.h>

size_t ck_packed_bytes(int format, int rows, int cols) {
    const size_t groups = (size_t)(rows + CK_GROUP - 1) / CK_GROUP;
    return groups * (size_t)(cols / 32) * CK_GROUP * (size_t)ck_block_bytes(format);
}

/// Packs one 16-row group from `rows` (≤ 16) ggml rows of `blocks` blocks starting at `src`.
static void pack_group(int format, const uint8_t *src, int rows, int blocks, uint8_t *group) {
    const int bytes = ck_block_bytes(format), vectors = ck_group_vectors(format);
    const size_t row_bytes = (size_t)blocks * bytes;
    uint8_t *qs = group, *d = group + (size_t)blocks * vectors * 64, *m = d + (size_t)blocks * 32;
    memset(group, 0, (size_t)blocks * CK_GROUP * bytes);
    for (int b = 0; b < blocks; b++) {
        for (int row = 0; row < rows; row++) {
            const uint8_t *block = src + row * row_bytes + (size_t)b * bytes;
            uint8_t *lane = qs + (size_t)b * vectors * 64 + 4 * row;
            memcpy(d + (size_t)b * 32 + 2 * row, block, 2);
            if (format == CK_Q8_0) {
                for (int j = 0; j < 8; j++)
                    for (int k = 0; k < 4; k++) lane[64 * j + k] = (uint8_t)(block[2 + 4 * j + k] ^ 0x80);
                continue;
            }
            const uint8_t *nibbles = block + (format == CK_Q4_1 ? 4 : 2);   // low: weight i, high: weight 16 + i
            if (format == CK_Q4_1) memcpy(m + (size_t)b * 32 + 2 * row, block + 2, 2);
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 4; k++) lane[64 * j + k] = nibbles[4 * j + k];
        }
    }
}

void ck_pack_rows(int format, const void *src, int rows, int cols, void *packed) {
    const int blocks = cols / 32;
    const size_t row_bytes = (size_t)blocks * ck_block_bytes(format), group_bytes = row_bytes * CK_GROUP;
    for (int g = 0; g * CK_GROUP < rows; g++) {
        const int count = rows - g * CK_GROUP < CK_GROUP ? rows - g * CK_GROUP : CK_GROUP;
        pack_group(format, (const uint8_t *)src + (size_t)g * CK_GROUP * row_bytes, count, blocks,
                   (uint8_t *)packed + (size_t)g * group_bytes);
    }
}
