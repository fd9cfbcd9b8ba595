/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/bits.h. */
#ifndef KSTUB_LINUX_BITS_H
#define KSTUB_LINUX_BITS_H

#define BITS_PER_LONG 64
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
/* Bits h..l set (h >= l). */
#define GENMASK(h, l) ((~0UL >> (BITS_PER_LONG - 1 - (h))) & (~0UL << (l)))
#define GENMASK_ULL(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#endif
