// Declarations shared between the kernel files (not part of the public header).
#pragma once
#include "CKernels.h"

/// Weight rows in one packed group (packing.c): one SIMD multiply-add covers them all.
#define CK_GROUP 16
/// Most activation rows one pass over a group's weights serves.
#define CK_TILE 6

/// 64-byte qs vectors per block in a packed group: 4 for the nibble formats, 8 for Q8_0.
static inline int ck_group_vectors(int format) { return format == CK_Q8_0 ? 8 : 4; }

/// out[i·16 + r] = W row r · X row i for the 16 rows of one packed group and n ≤ CK_TILE activation rows
/// `x_stride` blocks apart, over `blocks` blocks, on the active path.
void ck_group_tile(int format, const uint8_t *group, int blocks, const ck_q8_block *x, size_t x_stride, int n, float *out);
