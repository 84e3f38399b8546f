// SPDX-License-Identifier: GPL-3.0-or-later
#define MEMSCOPE_HASH_PAGES hashPagesGeneric
#include "engine/pagehash_impl.inc"
