/* SPDX-License-Identifier: BSD-3-Clause */
/* Stand-in for linux/bitmap.h and the bitops: arrays of unsigned long, bit i
 * in word i / 64 at position i % 64 (as on arm64). Non-atomic: the harness is
 * single-threaded. */
#ifndef KSTUB_LINUX_BITMAP_H
#define KSTUB_LINUX_BITMAP_H

#include <linux/bits.h>
#include <linux/types.h>

static inline unsigned long *kstub_word(const volatile void *map, unsigned long nr)
{
    return (unsigned long *)map + nr / BITS_PER_LONG;
}

static inline bool test_bit(unsigned long nr, const volatile void *map)
{
    return (*kstub_word(map, nr) >> (nr % BITS_PER_LONG)) & 1UL;
}

static inline void set_bit(unsigned long nr, volatile void *map)
{
    *kstub_word(map, nr) |= BIT(nr % BITS_PER_LONG);
}

static inline void clear_bit(unsigned long nr, volatile void *map)
{
    *kstub_word(map, nr) &= ~BIT(nr % BITS_PER_LONG);
}

static inline bool test_and_set_bit(unsigned long nr, volatile void *map)
{
    bool was = test_bit(nr, map);
    set_bit(nr, map);
    return was;
}

static inline bool test_and_clear_bit(unsigned long nr, volatile void *map)
{
    bool was = test_bit(nr, map);
    clear_bit(nr, map);
    return was;
}

static inline bool bitmap_empty(const void *map, unsigned int nbits)
{
    for (unsigned int i = 0; i < nbits; i++) {
        if (test_bit(i, map)) {
            return false;
        }
    }
    return true;
}

/* First set bit at or after `from`, or `size`. */
static inline unsigned long find_next_bit(const void *map, unsigned long size, unsigned long from)
{
    for (unsigned long i = from; i < size; i++) {
        if (test_bit(i, map)) {
            return i;
        }
    }
    return size;
}

static inline unsigned long find_first_bit(const void *map, unsigned long size)
{
    return find_next_bit(map, size, 0);
}

#define for_each_set_bit(bit, map, size)                                                           \
    for ((bit) = find_first_bit((map), (size)); (bit) < (size);                                    \
         (bit) = find_next_bit((map), (size), (bit) + 1))

#endif
