// Declarations shared between the kernel files (not part of the public header).
#pragma once
#include "CKernels.h"

/// Most activation rows one pass over weight rows serves.
#define CK_TILE 4
/// Most weight rows one pass covers.
#define CK_TILE_ROWS 4

/// Weight rows per pass for a tile of n activation rows (keeps r·n accumulators within the registers).
static inline int ck_tile_rows(int n) { return n <= 2 ? 4 : 2; }

/// out[k·n + i] = W row k · X row i for k < r, i < n (r ≤ CK_TILE_ROWS, n ≤ CK_TILE) over `blocks` blocks:
/// W rows start at `w`, `row_bytes` apart; X rows start at `x`, `x_stride` blocks apart. Active path.
void ck_dot_tile(int format, const uint8_t *w, size_t row_bytes, int r, const ck_q8_block *x, size_t x_stride, int n,
                 int blocks, float *out);
