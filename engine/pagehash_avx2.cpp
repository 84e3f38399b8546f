// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled with -mavx2 on x86-64 (see engine/CMakeLists.txt); only called
// after a runtime check that the processor supports AVX2.
#define MEMSCOPE_HASH_PAGES hashPagesAvx2
#define MEMSCOPE_HASH_BYTES hashBytesAvx2
#include "engine/pagehash_impl.inc"
