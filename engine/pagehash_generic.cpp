// SPDX-License-Identifier: GPL-3.0-or-later
#define MEMSCOPE_HASH_PAGES hashPagesGeneric
#define MEMSCOPE_HASH_BYTES hashBytesGeneric
#include "engine/pagehash_impl.inc"
