// OpenBLAS's CBLAS interface (libopenblas-dev), plus its thread-count controls.
#include <cblas.h>
