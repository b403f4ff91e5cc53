// Declarations shared between the kernel files (not part of the public header).
#pragma once
#include "CKernels.h"

/// Widest activation tile one weight-row pass serves.
#define CK_TILE 4

/// out[i] = weight_row · x[i] for i < n (n ≤ CK_TILE), each over `blocks` blocks, on the active path.
void ck_dot_tile(int format, const uint8_t *weight_row, const ck_q8_block *const *x, int n, int blocks, float *out);
